-- CreateEnum
CREATE TYPE "SampleTrainOn" AS ENUM ('LAST', 'ALL');

-- CreateEnum
CREATE TYPE "DatasetSplit" AS ENUM ('TRAIN', 'VALIDATION');

-- AlterTable
ALTER TABLE "TrainingSample" ADD COLUMN     "answerTokens" INTEGER,
ADD COLUMN     "bands" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "characterId" TEXT,
ADD COLUMN     "checkedAt" TIMESTAMP(3),
ADD COLUMN     "checks" JSONB,
ADD COLUMN     "duplicateOf" TEXT,
ADD COLUMN     "flags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "jobId" TEXT,
ADD COLUMN     "judgement" JSONB,
ADD COLUMN     "language" TEXT,
ADD COLUMN     "modelId" TEXT,
ADD COLUMN     "pipeline" TEXT,
ADD COLUMN     "promptTokens" INTEGER,
ADD COLUMN     "rejectReason" TEXT,
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedById" TEXT,
ADD COLUMN     "revisionOf" TEXT,
ADD COLUMN     "score" DOUBLE PRECISION,
ADD COLUMN     "splitKey" TEXT,
ADD COLUMN     "trainOn" "SampleTrainOn" NOT NULL DEFAULT 'LAST';

-- AlterTable
ALTER TABLE "SynthesisInput" ADD COLUMN     "license" TEXT;

-- CreateTable
CREATE TABLE "SampleReview" (
    "id" TEXT NOT NULL,
    "sampleId" TEXT NOT NULL,
    "reviewerId" TEXT,
    "fromState" "SampleState" NOT NULL,
    "toState" "SampleState" NOT NULL,
    "reason" TEXT,
    "bulkId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SampleReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewBulk" (
    "id" TEXT NOT NULL,
    "reviewerId" TEXT,
    "toState" "SampleState" NOT NULL,
    "reason" TEXT,
    "filter" JSONB NOT NULL,
    "count" INTEGER NOT NULL,
    "undoneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewBulk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetVersion" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "filter" JSONB NOT NULL,
    "seed" TEXT NOT NULL,
    "validationShare" DOUBLE PRECISION NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "trainCount" INTEGER NOT NULL,
    "validationCount" INTEGER NOT NULL,
    "mix" JSONB NOT NULL,
    "card" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetItem" (
    "datasetVersionId" TEXT NOT NULL,
    "sampleId" TEXT NOT NULL,
    "split" "DatasetSplit" NOT NULL,

    CONSTRAINT "DatasetItem_pkey" PRIMARY KEY ("datasetVersionId","sampleId")
);

-- CreateIndex
CREATE INDEX "SampleReview_sampleId_createdAt_idx" ON "SampleReview"("sampleId", "createdAt");

-- CreateIndex
CREATE INDEX "SampleReview_reviewerId_createdAt_idx" ON "SampleReview"("reviewerId", "createdAt");

-- CreateIndex
CREATE INDEX "SampleReview_bulkId_idx" ON "SampleReview"("bulkId");

-- CreateIndex
CREATE INDEX "SampleReview_createdAt_idx" ON "SampleReview"("createdAt");

-- CreateIndex
CREATE INDEX "DatasetVersion_createdAt_idx" ON "DatasetVersion"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetVersion_name_version_key" ON "DatasetVersion"("name", "version");

-- CreateIndex
CREATE INDEX "DatasetItem_sampleId_idx" ON "DatasetItem"("sampleId");

-- CreateIndex
CREATE INDEX "TrainingSample_createdAt_id_idx" ON "TrainingSample"("createdAt", "id");

-- CreateIndex
CREATE INDEX "TrainingSample_source_createdAt_idx" ON "TrainingSample"("source", "createdAt");

-- CreateIndex
CREATE INDEX "TrainingSample_characterId_createdAt_idx" ON "TrainingSample"("characterId", "createdAt");

-- CreateIndex
CREATE INDEX "TrainingSample_modelId_createdAt_idx" ON "TrainingSample"("modelId", "createdAt");

-- CreateIndex
CREATE INDEX "TrainingSample_jobId_createdAt_idx" ON "TrainingSample"("jobId", "createdAt");

-- CreateIndex
CREATE INDEX "TrainingSample_score_id_idx" ON "TrainingSample"("score", "id");

-- CreateIndex
CREATE INDEX "TrainingSample_duplicateOf_idx" ON "TrainingSample"("duplicateOf");

-- CreateIndex
CREATE INDEX "TrainingSample_revisionOf_idx" ON "TrainingSample"("revisionOf");

-- AddForeignKey
ALTER TABLE "SampleReview" ADD CONSTRAINT "SampleReview_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "TrainingSample"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "TrainingSample"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE INDEX "TrainingSample_state_createdAt_idx" ON "TrainingSample"("state", "createdAt");
CREATE INDEX "TrainingSample_pipeline_createdAt_idx" ON "TrainingSample"("pipeline", "createdAt");
CREATE INDEX "TrainingSample_language_createdAt_idx" ON "TrainingSample"("language", "createdAt");

-- Not expressible in the Prisma schema: array-overlap lookups of duplicate candidates and flag
-- filters, and the review queue's word search over the prompt and the answers.
-- fastupdate off: new entries go straight into the index, so each duplicate lookup does not scan a
-- growing pending list until the next vacuum.
CREATE INDEX "TrainingSample_bands_idx" ON "TrainingSample" USING GIN ("bands") WITH (fastupdate = off);
CREATE INDEX "TrainingSample_flags_idx" ON "TrainingSample" USING GIN ("flags");
-- A stored vector (not an expression index), so a queue page that walks the date index can test
-- each row cheaply instead of re-parsing a kilobyte of text per row.
ALTER TABLE "TrainingSample" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
  to_tsvector('simple'::regconfig, prompt::text || ' ' || chosen || ' ' || coalesce(rejected, ''))
) STORED;
CREATE INDEX "TrainingSample_searchVector_idx" ON "TrainingSample" USING GIN ("searchVector");
-- Samples the automatic checks have not seen yet.
CREATE INDEX "TrainingSample_unchecked_idx" ON "TrainingSample" ("createdAt") WHERE "checkedAt" IS NULL;
