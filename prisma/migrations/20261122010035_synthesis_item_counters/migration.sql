-- DropIndex
DROP INDEX "SynthesisItem_jobId_status_idx";

-- AlterTable
ALTER TABLE "SynthesisItem" ADD COLUMN     "parseFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "retries" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tokensIn" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tokensOut" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "TrainingSample" ADD COLUMN     "synthesisItemId" TEXT;

-- CreateIndex
CREATE INDEX "SynthesisItem_jobId_status_key_idx" ON "SynthesisItem"("jobId", "status", "key");

-- CreateIndex
CREATE INDEX "TrainingSample_synthesisItemId_idx" ON "TrainingSample"("synthesisItemId");
