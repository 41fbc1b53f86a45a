import { AppError, type RegisterMethodName } from "../../../shared/contract/index";
import type { Handlers } from "../dispatch";
import type { CoreServices } from "../services";

const notYet = () => {
  throw new AppError("unavailable", "The register methods are being built (issue 3).");
};

/** Handlers for the register methods. */
export function registerHandlers(_services: CoreServices): Pick<Handlers, RegisterMethodName> {
  return {
    "change.create": notYet,
    "change.createMany": notYet,
    "change.update": notYet,
    "change.get": notYet,
    "change.list": notYet,
    "change.transition": notYet,
    "change.promote": notYet,
    "change.delete": notYet,
    "change.comment": notYet,
    "risk.questionnaire": notYet,
    "risk.assess": notYet,
    "gate.record": notYet,
    "evidence.attach": notYet,
    "evidence.read": notYet,
    "audit.list": notYet,
    "audit.verify": notYet,
    "register.export": notYet,
  };
}
