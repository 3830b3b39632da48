-- CreateIndex
CREATE INDEX "ArenaBattle_conversationId_vote_idx" ON "ArenaBattle"("conversationId", "vote");

-- CreateIndex
CREATE INDEX "FeedbackEvent_createdAt_id_idx" ON "FeedbackEvent"("createdAt", "id");

-- CreateIndex
CREATE INDEX "SynthesisSeed_inputId_line_idx" ON "SynthesisSeed"("inputId", "line");
