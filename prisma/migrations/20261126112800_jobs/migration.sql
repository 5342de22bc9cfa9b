-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "args" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "mutating" BOOLEAN NOT NULL,
    "simulated" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "exitCode" INTEGER,
    "error" TEXT,
    "actorName" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "pid" INTEGER,
    "planJobId" TEXT,
    "summary" TEXT,
    "lineCount" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "heartbeatAt" DATETIME,
    "cancelRequestedAt" DATETIME,
    "cancelledBy" TEXT
);

-- CreateTable
CREATE TABLE "JobLine" (
    "jobId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "stream" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    PRIMARY KEY ("jobId", "seq")
);

-- CreateTable
CREATE TABLE "JobLock" (
    "environment" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "since" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Job_createdAt_idx" ON "Job"("createdAt");

-- CreateIndex
CREATE INDEX "Job_status_idx" ON "Job"("status");
