import { odooMethods } from "../odoo";
import { odooSmokeMethods } from "../odoo-smoke";
import { appMethods } from "./app";
import { approvalsMethods } from "./approvals";
import { calendarMethods } from "./calendar";
import { clusterMethods } from "./cluster";
import { gitopsMethods } from "./gitops";
import { homeMethods } from "./home";
import { meetingMethods } from "./meeting";
import { registerMethods } from "./register";
import { reportsMethods } from "./reports";

/** Every method of the contract, by name. Each capability keeps its methods in its own file. */
export const methods = {
  ...appMethods,
  ...registerMethods,
  ...approvalsMethods,
  ...calendarMethods,
  ...gitopsMethods,
  ...clusterMethods,
  ...meetingMethods,
  ...reportsMethods,
  ...homeMethods,
  ...odooSmokeMethods,
  ...odooMethods,
} as const;
