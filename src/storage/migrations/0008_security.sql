-- Issue 20. A refused IPN (its signature does not verify) is kept as its verdict, the SHA-256 of
-- its body and the body's first 256 bytes (escaped), with the address it came from: an
-- unauthenticated caller can no longer store 64 KB per request. Verified events keep the body.
ALTER TABLE payment_events ADD COLUMN body_sha256 TEXT;
ALTER TABLE payment_events ADD COLUMN client_address TEXT;
