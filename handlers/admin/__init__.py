"""Administration: organisations, members and roles, IP rights, channels and team platforms (`admin`)."""
