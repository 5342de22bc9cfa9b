-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Operation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "error" TEXT,
    "actorName" TEXT NOT NULL,
    "pollerState" TEXT
);

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");
CREATE INDEX "AuditEntry_actorId_at_idx" ON "AuditEntry"("actorId", "at");
CREATE INDEX "AuditEntry_action_at_idx" ON "AuditEntry"("action", "at");
CREATE INDEX "AuditEntry_target_at_idx" ON "AuditEntry"("target", "at");
CREATE INDEX "AuditEntry_result_at_idx" ON "AuditEntry"("result", "at");
CREATE INDEX "Operation_status_idx" ON "Operation"("status");
CREATE INDEX "Operation_target_startedAt_idx" ON "Operation"("target", "startedAt");
