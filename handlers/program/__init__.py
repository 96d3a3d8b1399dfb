"""The program: applications and their review, regions, civil-raid evidence, Chinese-language help and
the glossary (`apply`, `applications`, `raid`, `language`)."""
