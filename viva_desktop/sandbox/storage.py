"""The sandbox's own tables (SQLite through SQLAlchemy Core); `database.py` holds the
one-writer-at-a-time database they live in.

Column order is the field order of the real server's JSON (Prisma returns columns in schema
order), so a row can be serialised as it comes. Dates are stored as the ISO strings the server
emits, which also sort correctly as text."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

S = sa.String
T = sa.Text
I = sa.Integer  # noqa: E741
F = sa.Float
B = sa.Boolean
J = sa.JSON


def _c(name: str, kind, *, null: bool = True, **kw) -> sa.Column:
    return sa.Column(name, kind, nullable=null, **kw)


def _id() -> sa.Column:
    return sa.Column("id", S, primary_key=True)


def _fk(name: str, target: str, *, null: bool = False) -> sa.Column:
    return sa.Column(name, S, sa.ForeignKey(target), nullable=null)


users = sa.Table(
    "User",
    metadata,
    _id(),
    _c("email", S, null=False, unique=True),
    _c("phone", S, unique=True),
    _c("password", S, null=False),
    _c("name", S, null=False),
    _c("bio", T),
    _c("avatar", S),
    _c("role", S, null=False),
    _c("emailVerified", B, null=False),
    _c("phoneVerified", B, null=False),
    _c("lat", F),
    _c("lng", F),
    _c("address", S),
    _c("neighborhood", S),
    _c("searchRadius", I, null=False),
    _c("credits", I, null=False),
    _c("level", I, null=False),
    _c("experience", I, null=False),
    _c("activeStreak", I, null=False),
    _c("lastActiveAt", S, null=False),
    _c("totalSaved", F, null=False),
    _c("hoursShared", F, null=False),
    _c("hoursReceived", F, null=False),
    _c("co2Avoided", F, null=False),
    _c("peopleHelped", I, null=False),
    _c("peopleHelpedBy", I, null=False),
    _c("connectionsCount", I, null=False),
    _c("language", S, null=False),
    _c("notificationPreferences", J, null=False),
    _c("privacy", J, null=False),
    _c("interests", J, null=False),
    _c("weeklyMood", S),
    _c("dailySeeds", B, null=False),
    _c("createdAt", S, null=False),
    _c("updatedAt", S, null=False),
    _c("deletedAt", S),
    _c("voteCredits", I, null=False),
    _c("backupCodes", J, null=False),
    _c("communityId", S, index=True),
    _c("consciousnessLevel", I, null=False),
    _c("dailyActions", I, null=False),
    _c("economicLayer", S, null=False),
    _c("flowPower", F, null=False),
    _c("gailuDID", S),
    _c("gailuNodeId", S),
    _c("generosityScore", F, null=False),
    _c("isEmailVerified", B, null=False),
    _c("lastDemurrageAt", S, null=False),
    _c("lastLayerChange", S),
    _c("layerConfig", J, null=False),
    _c("proofOfHelpScore", F, null=False),
    _c("semillaBalance", F, null=False),
    _c("softCredits", I),
    _c("twoFactorEnabled", B, null=False),
    _c("twoFactorSecret", S),
    _c("walletAddress", S),
    _c("walletType", S),
    _c("telegramUsername", S),
    _c("whatsappNumber", S),
    _c("contactPreference", S, null=False),
)
sa.Index("ix_user_credits", users.c.credits)

skills = sa.Table(
    "Skill",
    metadata,
    _id(),
    _fk("userId", "User.id"),
    _c("category", S, null=False),
    _c("name", S, null=False),
    _c("description", T),
    _c("verified", B, null=False),
    _c("endorsements", I, null=False),
)

user_badges = sa.Table(
    "UserBadge",
    metadata,
    _id(),
    _fk("userId", "User.id"),
    _c("badgeType", S, null=False),
    _c("earnedAt", S, null=False),
    _c("metadata", J),
    _c("isNew", B, null=False),
    _c("progress", I, null=False),
)

communities = sa.Table(
    "Community",
    metadata,
    _id(),
    _c("slug", S, null=False, unique=True),
    _c("name", S, null=False),
    _c("description", T),
    _c("logo", S),
    _c("bannerImage", S),
    _c("location", S),
    _c("lat", F),
    _c("lng", F),
    _c("radiusKm", F),
    _c("type", S, null=False),
    _c("visibility", S, null=False),
    _c("requiresApproval", B, null=False),
    _c("allowExternalOffers", B, null=False),
    _c("primaryColor", S),
    _c("language", S, null=False),
    _c("currency", S, null=False),
    _c("membersCount", I, null=False),
    _c("activeOffersCount", I, null=False),
    _c("createdAt", S, null=False),
    _c("updatedAt", S, null=False),
)

governance = sa.Table(
    "CommunityGovernance",
    metadata,
    _id(),
    _c("communityId", S, null=False, unique=True),
    _c("minProposalReputation", F, null=False),
    _c("minVoteReputation", F, null=False),
    _c("minModerateReputation", F, null=False),
    _c("quorumPercentage", I, null=False),
    _c("approvalPercentage", I, null=False),
    _c("proposalDuration", I, null=False),
    _c("votingDuration", I, null=False),
    _c("useQuadraticVoting", B, null=False),
    _c("maxVoteCredits", I, null=False),
    _c("autoModerateThreshold", I, null=False),
    _c("banThreshold", I, null=False),
    _c("founders", J, null=False),
    _c("foundedAt", S, null=False),
    _c("bootstrapEndDate", S),
    _c("createdAt", S, null=False),
    _c("updatedAt", S, null=False),
)

community_connections = sa.Table(
    "CommunityConnection",
    metadata,
    _id(),
    _c("sourceCommunityId", S, null=False, index=True),
    _c("targetCommunityId", S, null=False, index=True),
    _c("status", S, null=False),
    _c("shareOffers", B, null=False),
    _c("shareEvents", B, null=False),
    _c("initiatedBy", S),
    _c("approvedBy", S),
    _c("createdAt", S, null=False),
    _c("approvedAt", S),
)

membership_requests = sa.Table(
    "MembershipRequest",
    metadata,
    _id(),
    _c("communityId", S, null=False, index=True),
    _c("userId", S, null=False),
    _c("status", S, null=False),
    _c("message", T),
    _c("reviewedBy", S),
    _c("reviewNote", T),
    _c("createdAt", S, null=False),
    _c("reviewedAt", S),
    sa.UniqueConstraint("communityId", "userId"),
)

audit_log = sa.Table(
    "AuditLog",
    metadata,
    _id(),
    _c("userId", S),
    _c("action", S, null=False),
    _c("entity", S, null=False),
    _c("entityId", S),
    _c("oldData", J),
    _c("newData", J),
    _c("ip", S),
    _c("userAgent", S),
    _c("createdAt", S, null=False),
)

offers = sa.Table(
    "Offer",
    metadata,
    _id(),
    _fk("userId", "User.id"),
    _c("type", S, null=False),
    _c("category", S, null=False),
    _c("title", S, null=False),
    _c("description", T, null=False),
    _c("images", J, null=False),
    _c("priceEur", F),
    _c("priceCredits", I),
    _c("stock", I),
    _c("lat", F),
    _c("lng", F),
    _c("address", S),
    _c("tags", J, null=False),
    _c("status", S, null=False),
    _c("featured", B, null=False),
    _c("views", I, null=False),
    _c("interested", I, null=False),
    _c("supporters", I, null=False),
    _c("shares", I, null=False),
    _c("expiresAt", S),
    _c("createdAt", S, null=False),
    _c("updatedAt", S, null=False),
    _c("communityId", S),
)
sa.Index("ix_offer_status_created", offers.c.status, offers.c.createdAt)
sa.Index("ix_offer_user", offers.c.userId)
sa.Index("ix_offer_community", offers.c.communityId)

offer_interests = sa.Table(
    "OfferInterest",
    metadata,
    _id(),
    _fk("userId", "User.id"),
    _fk("offerId", "Offer.id"),
    _c("interestedAt", S, null=False),
    sa.UniqueConstraint("userId", "offerId"),
)

time_bank_offers = sa.Table(
    "TimeBankOffer",
    metadata,
    _id(),
    _c("offerId", S, null=False, unique=True),
    _c("skillId", S),
    _c("estimatedHours", F, null=False),
    _c("canTeach", B, null=False),
    _c("maxStudents", I),
    _c("experienceLevel", S, null=False),
    _c("toolsNeeded", J, null=False),
)

group_buys = sa.Table(
    "GroupBuy",
    metadata,
    _id(),
    _c("offerId", S, null=False, unique=True),
    _c("minParticipants", I, null=False),
    _c("maxParticipants", I, null=False),
    _c("currentParticipants", I, null=False),
    _c("deadline", S, null=False),
    _c("pickupLat", F, null=False),
    _c("pickupLng", F, null=False),
    _c("pickupAddress", S, null=False),
    _c("createdAt", S, null=False),
    _c("status", S, null=False),
)

events = sa.Table(
    "Event",
    metadata,
    _id(),
    _c("offerId", S),
    _fk("organizerId", "User.id"),
    _c("communityId", S),
    _c("title", S, null=False),
    _c("description", T, null=False),
    _c("image", S),
    _c("lat", F, null=False),
    _c("lng", F, null=False),
    _c("address", S, null=False),
    _c("startsAt", S, null=False),
    _c("endsAt", S, null=False),
    _c("capacity", I),
    _c("creditsReward", I, null=False),
    _c("tags", J, null=False),
    _c("type", S, null=False),
    _c("requirements", J, null=False),
    _c("status", S, null=False),
    _c("qrCode", S, unique=True),
    _c("createdAt", S, null=False),
    _c("updatedAt", S, null=False),
)
sa.Index("ix_event_starts", events.c.startsAt)
sa.Index("ix_event_organizer", events.c.organizerId)

event_attendees = sa.Table(
    "EventAttendee",
    metadata,
    _id(),
    _fk("eventId", "Event.id"),
    _fk("userId", "User.id"),
    _c("role", S, null=False),
    _c("registeredAt", S, null=False),
    _c("checkedInAt", S),
    _c("feedback", T),
    _c("creditsEarned", I, null=False),
    sa.UniqueConstraint("eventId", "userId"),
)
sa.Index("ix_attendee_event", event_attendees.c.eventId)

posts = sa.Table(
    "Post",
    metadata,
    _id(),
    _fk("authorId", "User.id"),
    _c("content", T, null=False),
    _c("images", J, null=False),
    _c("lat", F),
    _c("lng", F),
    _c("type", S, null=False),
    _c("visibility", S, null=False),
    _c("tags", J, null=False),
    _c("mentions", J, null=False),
    _c("relatedOfferId", S),
    _c("thanksCount", I, null=False),
    _c("supportsCount", I, null=False),
    _c("commentsCount", I, null=False),
    _c("sharesCount", I, null=False),
    _c("helpedCount", I, null=False),
    _c("createdAt", S, null=False),
    _c("updatedAt", S, null=False),
    _c("editedAt", S),
)
sa.Index("ix_post_created", posts.c.createdAt, posts.c.id)
sa.Index("ix_post_author_created", posts.c.authorId, posts.c.createdAt)
sa.Index("ix_post_visibility_created", posts.c.visibility, posts.c.createdAt)

comments = sa.Table(
    "Comment",
    metadata,
    _id(),
    _fk("postId", "Post.id"),
    _fk("authorId", "User.id"),
    _c("content", T, null=False),
    _c("createdAt", S, null=False),
    _c("editedAt", S),
)
sa.Index("ix_comment_post", comments.c.postId, comments.c.createdAt)

reactions = sa.Table(
    "Reaction",
    metadata,
    _id(),
    _fk("postId", "Post.id"),
    _fk("userId", "User.id"),
    _c("type", S, null=False),
    _c("createdAt", S, null=False),
    sa.UniqueConstraint("postId", "userId", "type"),
)
sa.Index("ix_reaction_post", reactions.c.postId)

credit_transactions = sa.Table(
    "CreditTransaction",
    metadata,
    _id(),
    _fk("userId", "User.id"),
    _c("amount", I, null=False),
    _c("balance", I, null=False),
    _c("reason", S, null=False),
    _c("description", T),
    _c("relatedId", S),
    _c("metadata", J),
    _c("expiresAt", S),
    _c("createdAt", S, null=False),
)
sa.Index("ix_credit_user_created", credit_transactions.c.userId, credit_transactions.c.createdAt)

notifications = sa.Table(
    "Notification",
    metadata,
    _id(),
    _fk("userId", "User.id"),
    _c("type", S, null=False),
    _c("title", S, null=False),
    _c("body", T, null=False),
    _c("data", J),
    _c("read", B, null=False),
    _c("actionUrl", S),
    _c("createdAt", S, null=False),
    _c("readAt", S),
    _c("link", S),
)
sa.Index("ix_notification_user_created", notifications.c.userId, notifications.c.createdAt)

moderation_cases = sa.Table(
    "ModerationDAO",
    metadata,
    _id(),
    _c("contentId", S, null=False),
    _c("contentType", S, null=False),
    _c("reportReason", T),
    _c("reporterId", S),
    _c("status", S, null=False),
    _c("quorum", I, null=False),
    _c("deadline", S, null=False),
    _c("finalDecision", S),
    _c("executedAt", S),
    _c("createdAt", S, null=False),
)

moderation_votes = sa.Table(
    "ModerationVote",
    metadata,
    _id(),
    _fk("daoId", "ModerationDAO.id"),
    _fk("voterId", "User.id"),
    _c("decision", S, null=False),
    _c("reason", T),
    _c("weight", F, null=False),
    _c("createdAt", S, null=False),
    sa.UniqueConstraint("daoId", "voterId"),
)

time_bank_transactions = sa.Table(
    "TimeBankTransaction",
    metadata,
    _id(),
    _fk("requesterId", "User.id"),
    _fk("providerId", "User.id"),
    _c("offerId", S),
    _c("description", T, null=False),
    _c("hours", F, null=False),
    _c("credits", I, null=False),
    _c("scheduledFor", S, null=False),
    _c("completedAt", S),
    _c("status", S, null=False),
    _c("requesterRating", I),
    _c("requesterComment", T),
    _c("providerRating", I),
    _c("providerComment", T),
    _c("impactStory", T),
    _c("chainedFavor", B, null=False),
    _c("createdAt", S, null=False),
    _c("updatedAt", S, null=False),
)

community_pools = sa.Table(
    "CommunityPool",
    metadata,
    _id(),
    _c("type", S, null=False, unique=True),
    _c("balance", I, null=False),
    _c("totalReceived", I, null=False),
    _c("totalDistributed", I, null=False),
    _c("description", T),
    _c("lastDistribution", S),
    _c("createdAt", S, null=False),
    _c("updatedAt", S, null=False),
)

pool_requests = sa.Table(
    "PoolRequest",
    metadata,
    _id(),
    _fk("userId", "User.id"),
    _fk("poolId", "CommunityPool.id"),
    _c("amount", I, null=False),
    _c("reason", T, null=False),
    _c("status", S, null=False),
    _c("approvedBy", S),
    _c("approvedAt", S),
    _c("rejectedBy", S),
    _c("rejectedAt", S),
    _c("distributedAt", S),
    _c("createdAt", S, null=False),
    _c("updatedAt", S, null=False),
)

pool_request_votes = sa.Table(
    "PoolRequestVote",
    metadata,
    _id(),
    _fk("requestId", "PoolRequest.id"),
    _fk("voterId", "User.id"),
    _c("vote", B, null=False),
    _c("comment", T),
    _c("createdAt", S, null=False),
    sa.UniqueConstraint("requestId", "voterId"),
)

refresh_tokens = sa.Table(
    "RefreshToken",
    metadata,
    _id(),
    _c("token", S, null=False, unique=True),
    _fk("userId", "User.id"),
    _c("expiresAt", S, null=False),
    _c("createdAt", S, null=False),
    _c("revokedAt", S),
)
