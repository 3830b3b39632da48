-- CreateTable
CREATE TABLE "EvalSuite" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "origin" TEXT NOT NULL,
    "characterId" TEXT,
    "itemCount" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvalSuite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalItem" (
    "id" TEXT NOT NULL,
    "suiteId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "session" TEXT,
    "data" JSONB NOT NULL,

    CONSTRAINT "EvalItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalRun" (
    "id" TEXT NOT NULL,
    "suiteId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "modelVersionId" TEXT,
    "modelId" TEXT NOT NULL,
    "judgeVersionId" TEXT,
    "judgeModelId" TEXT NOT NULL,
    "samples" INTEGER NOT NULL,
    "judgeTemperature" DOUBLE PRECISION NOT NULL,
    "answerTemplate" TEXT NOT NULL,
    "answerTemplateHash" TEXT NOT NULL,
    "aggregate" JSONB,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvalRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EvalSuite_name_version_key" ON "EvalSuite"("name", "version");

-- CreateIndex
CREATE INDEX "EvalItem_suiteId_position_idx" ON "EvalItem"("suiteId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "EvalItem_suiteId_key_key" ON "EvalItem"("suiteId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "EvalRun_jobId_key" ON "EvalRun"("jobId");

-- CreateIndex
CREATE INDEX "EvalRun_suiteId_createdAt_idx" ON "EvalRun"("suiteId", "createdAt");

-- AddForeignKey
ALTER TABLE "EvalItem" ADD CONSTRAINT "EvalItem_suiteId_fkey" FOREIGN KEY ("suiteId") REFERENCES "EvalSuite"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalRun" ADD CONSTRAINT "EvalRun_suiteId_fkey" FOREIGN KEY ("suiteId") REFERENCES "EvalSuite"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

