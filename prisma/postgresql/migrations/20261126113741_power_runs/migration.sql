-- CreateTable
CREATE TABLE "PowerRun" (
    "id" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "steps" TEXT NOT NULL,
    "memory" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "PowerRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PowerRun_cluster_startedAt_idx" ON "PowerRun"("cluster", "startedAt");

-- CreateIndex
CREATE INDEX "PowerRun_status_idx" ON "PowerRun"("status");
