-- CreateTable
CREATE TABLE "CostAnswer" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "scope" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "body" TEXT,
    "fetchedAt" DATETIME,
    "error" TEXT,
    "errorAt" DATETIME,
    "throttledUntil" DATETIME,
    "leaseUntil" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "BudgetGuard" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL,
    "action" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "lastTriggeredAt" DATETIME,
    "lastOutcome" TEXT
);
