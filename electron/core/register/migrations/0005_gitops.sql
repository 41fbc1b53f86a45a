-- Reserved for the gitops capability; its tables land here.
SELECT 1;
