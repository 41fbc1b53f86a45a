// The demo organisation every capability seeds from, so the first run shows one consistent plant network.

/** A demo plant: its id (used in change.yaml `plants`), display name (X-WR-CALNAME) and IANA zone. */
export interface DemoPlant {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly pattern: string;
}

/** A demo person as policy.yaml lists them. */
export interface DemoPerson {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly plants: readonly string[];
}

export const DEMO_PLANTS: readonly DemoPlant[] = [
  { id: "berlin", name: "Berlin Assembly", timeZone: "Europe/Berlin", pattern: "3x8 five-day" },
  { id: "chicago", name: "Chicago Packaging", timeZone: "America/Chicago", pattern: "2x12 DuPont" },
  { id: "pune", name: "Pune Machining", timeZone: "Asia/Kolkata", pattern: "general shift Mon-Sat" },
];

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { email: "lena.weber@plant.example", name: "Lena Weber", roles: ["developer"], plants: ["berlin"] },
  { email: "tom.fischer@plant.example", name: "Tom Fischer", roles: ["release-manager"], plants: [] },
  { email: "ana.ortiz@plant.example", name: "Ana Ortiz", roles: ["plant-ops-leader"], plants: ["berlin"] },
  { email: "marcus.reed@plant.example", name: "Marcus Reed", roles: ["plant-ops-leader"], plants: ["chicago"] },
  { email: "priya.nair@plant.example", name: "Priya Nair", roles: ["plant-ops-leader"], plants: ["pune"] },
  { email: "raj.patel@plant.example", name: "Raj Patel", roles: ["it-manager", "cab-member"], plants: [] },
  { email: "sofia.rossi@plant.example", name: "Sofia Rossi", roles: ["cab-member", "change-manager"], plants: [] },
  // A second it-manager: the one who logs an emergency may not approve it, so the emergency quorum needs two.
  { email: "kenji.sato@plant.example", name: "Kenji Sato", roles: ["cab-member", "it-manager"], plants: [] },
  { email: "dana.kim@plant.example", name: "Dana Kim", roles: ["dba"], plants: [] },
  { email: "olivia.brown@plant.example", name: "Olivia Brown", roles: ["policy-admin", "change-manager"], plants: [] },
];

/** The instant the demo data is built around (the demo clock starts here). */
export const DEMO_NOW = "2026-11-30T09:00:00+01:00";
