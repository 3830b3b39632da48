-- CreateEnum
CREATE TYPE "EndpointKind" AS ENUM ('VLLM', 'OPENAI_COMPATIBLE', 'LLAMA_CPP');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('REGISTERED', 'LOADED', 'SERVING', 'RETIRED');

-- CreateTable
CREATE TABLE "ModelEndpoint" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "apiKey" TEXT,
    "kind" "EndpointKind" NOT NULL DEFAULT 'VLLM',
    "lastHealth" JSONB,
    "discovered" JSONB NOT NULL DEFAULT '[]',
    "lastSeenAt" TIMESTAMP(3),
    "checkedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "servedModelId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "baseModel" TEXT,
    "adapterPath" TEXT,
    "datasetVersionId" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "status" "ModelStatus" NOT NULL DEFAULT 'REGISTERED',
    "samplingPreset" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ModelEndpoint_name_key" ON "ModelEndpoint"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_name_key" ON "ModelVersion"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_endpointId_servedModelId_key" ON "ModelVersion"("endpointId", "servedModelId");

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "ModelEndpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
