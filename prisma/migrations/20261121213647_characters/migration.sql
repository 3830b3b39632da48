-- CreateEnum
CREATE TYPE "Visibility" AS ENUM ('PRIVATE', 'UNLISTED', 'PUBLIC');

-- CreateEnum
CREATE TYPE "CharacterOrigin" AS ENUM ('CREATED', 'IMPORTED', 'FORKED', 'SYNTHETIC');

-- CreateTable
CREATE TABLE "Character" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "visibility" "Visibility" NOT NULL DEFAULT 'PRIVATE',
    "origin" "CharacterOrigin" NOT NULL DEFAULT 'CREATED',
    "importFormat" TEXT,
    "name" TEXT NOT NULL,
    "tagline" TEXT NOT NULL DEFAULT '',
    "searchText" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[],
    "currentVersionId" TEXT,
    "versionCount" INTEGER NOT NULL DEFAULT 0,
    "forkedFromId" TEXT,
    "forkedFromVersionId" TEXT,
    "avatarId" TEXT,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Character_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CharacterVersion" (
    "id" TEXT NOT NULL,
    "characterId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "profile" JSONB NOT NULL,
    "tags" TEXT[],
    "contentHash" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CharacterVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Avatar" (
    "id" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Avatar_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Character_currentVersionId_key" ON "Character"("currentVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "Character_avatarId_key" ON "Character"("avatarId");

-- CreateIndex
CREATE INDEX "Character_ownerId_deletedAt_updatedAt_idx" ON "Character"("ownerId", "deletedAt", "updatedAt");

-- CreateIndex
CREATE INDEX "Character_visibility_deletedAt_updatedAt_idx" ON "Character"("visibility", "deletedAt", "updatedAt");

-- CreateIndex
CREATE INDEX "Character_tags_idx" ON "Character" USING GIN ("tags");

-- CreateIndex
CREATE UNIQUE INDEX "CharacterVersion_characterId_number_key" ON "CharacterVersion"("characterId", "number");

-- AddForeignKey
ALTER TABLE "Character" ADD CONSTRAINT "Character_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Character" ADD CONSTRAINT "Character_currentVersionId_fkey" FOREIGN KEY ("currentVersionId") REFERENCES "CharacterVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Character" ADD CONSTRAINT "Character_forkedFromId_fkey" FOREIGN KEY ("forkedFromId") REFERENCES "Character"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Character" ADD CONSTRAINT "Character_avatarId_fkey" FOREIGN KEY ("avatarId") REFERENCES "Avatar"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CharacterVersion" ADD CONSTRAINT "CharacterVersion_characterId_fkey" FOREIGN KEY ("characterId") REFERENCES "Character"("id") ON DELETE CASCADE ON UPDATE CASCADE;
