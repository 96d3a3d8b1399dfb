"""The scheduler: milestone announcements, reminders, case follow-ups and weekly digests.

APScheduler keeps the jobs in the bot's own database, but the source of truth is the bot's
tables (milestones, reminders, complaints): the leader reconciles jobs from them. Every job
writes its messages to the outbox under a key naming the job's occurrence, so a job run twice
posts once.
"""
