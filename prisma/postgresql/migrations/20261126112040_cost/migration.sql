-- CreateTable
CREATE TABLE "CostAnswer" (
    "key" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "body" TEXT,
    "fetchedAt" TIMESTAMP(3),
    "error" TEXT,
    "errorAt" TIMESTAMP(3),
    "throttledUntil" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CostAnswer_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "BudgetGuard" (
    "id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "action" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "lastTriggeredAt" TIMESTAMP(3),
    "lastOutcome" TEXT,

    CONSTRAINT "BudgetGuard_pkey" PRIMARY KEY ("id")
);
