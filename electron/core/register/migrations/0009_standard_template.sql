-- A standard change names the catalogue template it is raised from (.shiftgate/standard-changes/<id>.yaml);
-- its pre-approval is that template's, so the register keeps which one.
ALTER TABLE changes ADD COLUMN template TEXT;
