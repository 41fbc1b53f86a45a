/** The demo's emergency: the register's record and the repository's exception.yaml tell the same story. */
export const DEMO_EMERGENCY = {
  incident: "INC-88213",
  justification: "Barcode scanners reject lot numbers after supplier label change; shipping stopped",
  loggedBy: "raj.patel@plant.example",
} as const;
