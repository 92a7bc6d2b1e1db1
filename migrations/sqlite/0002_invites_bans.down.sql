-- Reverts 0002_invites_bans.
DROP TABLE bans;
DROP TABLE invites;
