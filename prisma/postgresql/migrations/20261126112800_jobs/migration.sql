-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "cancelRequestedAt" TIMESTAMP(3),
    "cancelledBy" TEXT,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobLine" (
    "jobId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "stream" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "JobLine_pkey" PRIMARY KEY ("jobId","seq")
);

-- CreateTable
CREATE TABLE "JobLock" (
    "environment" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobLock_pkey" PRIMARY KEY ("environment")
);

-- CreateIndex
CREATE INDEX "Job_createdAt_idx" ON "Job"("createdAt");

-- CreateIndex
CREATE INDEX "Job_status_idx" ON "Job"("status");
