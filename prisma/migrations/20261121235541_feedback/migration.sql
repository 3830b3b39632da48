-- CreateEnum
CREATE TYPE "FeedbackKind" AS ENUM ('RATING', 'SWIPE', 'EDIT', 'ARENA', 'REGENERATE');

-- CreateEnum
CREATE TYPE "SampleKind" AS ENUM ('SFT', 'PREFERENCE', 'KTO');

-- CreateEnum
CREATE TYPE "SampleSource" AS ENUM ('SWIPE', 'EDIT', 'ARENA', 'RATING', 'SYNTHETIC', 'CHAT');

-- CreateEnum
CREATE TYPE "SampleState" AS ENUM ('NEW', 'AUTO_CHECKED', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED', 'ERASED');

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "mode" TEXT NOT NULL DEFAULT 'CHAT';

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "inArena" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "FeedbackEvent" (
    "id" TEXT NOT NULL,
    "kind" "FeedbackKind" NOT NULL,
    "userId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "otherMessageIds" TEXT[],
    "rating" INTEGER,
    "reasons" TEXT[],
    "comment" TEXT,
    "vote" TEXT,
    "prompt" JSONB NOT NULL,
    "promptHash" TEXT,
    "characterId" TEXT NOT NULL,
    "characterVersionId" TEXT,
    "modelId" TEXT,
    "modelVersionId" TEXT,
    "sampling" JSONB,
    "templateVersion" TEXT,
    "consented" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeedbackEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageRating" (
    "userId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "reasons" TEXT[],
    "comment" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageRating_pkey" PRIMARY KEY ("userId","messageId")
);

-- CreateTable
CREATE TABLE "TrainingSample" (
    "id" TEXT NOT NULL,
    "kind" "SampleKind" NOT NULL,
    "source" "SampleSource" NOT NULL,
    "state" "SampleState" NOT NULL DEFAULT 'NEW',
    "prompt" JSONB NOT NULL,
    "chosen" TEXT NOT NULL,
    "rejected" TEXT,
    "label" BOOLEAN,
    "userId" TEXT,
    "feedbackEventId" TEXT,
    "lineage" JSONB NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RepairSeed" (
    "id" TEXT NOT NULL,
    "feedbackEventId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "userId" TEXT,
    "consumedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RepairSeed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArenaBattle" (
    "id" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "characterId" TEXT NOT NULL,
    "userMessageId" TEXT NOT NULL,
    "versionAId" TEXT NOT NULL,
    "versionBId" TEXT NOT NULL,
    "messageAId" TEXT,
    "messageBId" TEXT,
    "vote" TEXT,
    "votedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArenaBattle_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FeedbackEvent_userId_createdAt_idx" ON "FeedbackEvent"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "FeedbackEvent_kind_createdAt_idx" ON "FeedbackEvent"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "FeedbackEvent_messageId_idx" ON "FeedbackEvent"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingSample_dedupeKey_key" ON "TrainingSample"("dedupeKey");

-- CreateIndex
CREATE INDEX "TrainingSample_state_kind_createdAt_idx" ON "TrainingSample"("state", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "TrainingSample_userId_idx" ON "TrainingSample"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "RepairSeed_feedbackEventId_key" ON "RepairSeed"("feedbackEventId");

-- CreateIndex
CREATE UNIQUE INDEX "ArenaBattle_userMessageId_key" ON "ArenaBattle"("userMessageId");

-- CreateIndex
CREATE INDEX "ArenaBattle_votedAt_idx" ON "ArenaBattle"("votedAt");

-- CreateIndex
CREATE INDEX "ArenaBattle_characterId_idx" ON "ArenaBattle"("characterId");

-- AddForeignKey
ALTER TABLE "FeedbackEvent" ADD CONSTRAINT "FeedbackEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackEvent" ADD CONSTRAINT "FeedbackEvent_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageRating" ADD CONSTRAINT "MessageRating_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageRating" ADD CONSTRAINT "MessageRating_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArenaBattle" ADD CONSTRAINT "ArenaBattle_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArenaBattle" ADD CONSTRAINT "ArenaBattle_versionAId_fkey" FOREIGN KEY ("versionAId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArenaBattle" ADD CONSTRAINT "ArenaBattle_versionBId_fkey" FOREIGN KEY ("versionBId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
