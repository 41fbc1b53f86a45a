-- The requester of a change is the signer who created it; a person it was raised for is kept beside, so
-- segregation of duties can hold both of them to the same rules (issue #13).
ALTER TABLE changes ADD COLUMN on_behalf_of_name TEXT;
ALTER TABLE changes ADD COLUMN on_behalf_of_email TEXT;
