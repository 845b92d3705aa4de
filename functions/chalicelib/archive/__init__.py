"""The archive (หมวด 3 ของระเบียบงานสารบรรณ): retention, storage in a write-once bucket, legal holds
(docs/rules.md, "Archive")."""
