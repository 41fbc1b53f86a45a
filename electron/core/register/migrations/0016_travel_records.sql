-- What still has to travel once a change is in the GitOps repository (issue #17 item 4).
-- An assessment saved before the change was numbered, by a person whose key proved itself here, keeps which key that
-- was (a key reference, never a passphrase): the submission then publishes it signed by its assessor, not by the
-- requester who sends the change.
ALTER TABLE risk_assessments ADD COLUMN signer_key TEXT;
