"""Search results in: parsing database exports, de-duplication, the PRISMA flow."""
