-- Reserved for the cluster capability; its tables land here.
SELECT 1;
