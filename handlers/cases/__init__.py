"""Cases: complaints and their filing, link parsing, outcomes, withdrawals, storefronts, routing to the
team, the notices a case posts, and the figures (`complaint`, `case`, `cases`, `outcome`, `withdraw`,
`store`, `stats`)."""
