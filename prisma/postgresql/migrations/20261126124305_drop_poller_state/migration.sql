-- The poller state is not read: after a restart the dashboard watches the cluster itself (lib/power).
ALTER TABLE "Operation" DROP COLUMN "pollerState";
