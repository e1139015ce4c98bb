-- Trunk ENIs (terway's trunk mode): a member ENI names the trunk it is bound
-- to; NULL for every other ENI. Indexed for "the members of this trunk"
-- (the trunk's Attachment.MemberNetworkInterfaceIds, HasMemberEniAttached).
ALTER TABLE enis ADD COLUMN trunk_eni_id TEXT;
CREATE INDEX enis_trunk ON enis(trunk_eni_id) WHERE trunk_eni_id IS NOT NULL;
