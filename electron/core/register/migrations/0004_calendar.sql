-- Reserved for the calendar capability; its tables land here.
SELECT 1;
