-- Reserved for the approvals capability; its tables land here.
SELECT 1;
