-- AlterTable
ALTER TABLE "Character" ADD COLUMN     "provenance" JSONB;
