-- The image a change's approvals cover (change.yaml's artifact: {image, tag, digest} as JSON), kept on the change
-- when it is submitted to the GitOps repository or imported from it (issue #16: the change records its artifact).
ALTER TABLE changes ADD COLUMN artifact TEXT;
