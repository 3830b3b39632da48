-- CreateEnum
CREATE TYPE "SynthesisJobStatus" AS ENUM ('QUEUED', 'RUNNING', 'PAUSED', 'CANCELLED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "SynthesisItemStatus" AS ENUM ('PENDING', 'RUNNING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "SynthesisInput" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "lines" INTEGER NOT NULL DEFAULT 0,
    "seeds" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SynthesisInput_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SynthesisSeed" (
    "id" TEXT NOT NULL,
    "inputId" TEXT NOT NULL,
    "seedId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "SynthesisSeed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SynthesisJob" (
    "id" TEXT NOT NULL,
    "pipeline" TEXT NOT NULL,
    "status" "SynthesisJobStatus" NOT NULL DEFAULT 'QUEUED',
    "params" JSONB NOT NULL,
    "template" TEXT NOT NULL,
    "modelVersionId" TEXT,
    "createdById" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "parseFailures" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "tokensIn" INTEGER NOT NULL DEFAULT 0,
    "tokensOut" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SynthesisJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SynthesisItem" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" "SynthesisItemStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "input" JSONB NOT NULL,
    "output" JSONB,
    "error" TEXT,
    "lockedBy" TEXT,
    "lockedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SynthesisItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SynthesisSeed_inputId_seedId_key" ON "SynthesisSeed"("inputId", "seedId");

-- CreateIndex
CREATE INDEX "SynthesisJob_status_createdAt_idx" ON "SynthesisJob"("status", "createdAt");

-- CreateIndex
CREATE INDEX "SynthesisItem_jobId_status_idx" ON "SynthesisItem"("jobId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SynthesisItem_jobId_key_key" ON "SynthesisItem"("jobId", "key");

-- AddForeignKey
ALTER TABLE "SynthesisSeed" ADD CONSTRAINT "SynthesisSeed_inputId_fkey" FOREIGN KEY ("inputId") REFERENCES "SynthesisInput"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SynthesisItem" ADD CONSTRAINT "SynthesisItem_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "SynthesisJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;
