-- Initial-consonant (초성) search within a center reads the index alone, like name search.
CREATE INDEX members_center_initials ON members(center_id, name_initials);
