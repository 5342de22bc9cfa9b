-- The job lock becomes a lease: which server holds it and when it last renewed it. A lock left
-- by a server that stopped is kept until an Admin force-unlocks it.
ALTER TABLE "JobLock" ADD COLUMN "instance" TEXT;
ALTER TABLE "JobLock" ADD COLUMN "heartbeatAt" DATETIME;
