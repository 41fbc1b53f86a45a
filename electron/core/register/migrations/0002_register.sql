-- Reserved for the register capability; its tables land here.
SELECT 1;
