"""PAdES signing core: KMS-backed signer, level policy, Thai visible signatures, validation.

Modules (import the one you need; only policy.py is free of the ~0.4 s pyHanko import):
    policy       PadesLevel, LevelPolicy, choose_level(): which level a document gets
    kms_signer   KmsSigner: a pyHanko Signer whose key lives in AWS KMS (MessageType=RAW)
    key_signer   InMemoryKeySigner: the same with a key in memory, parsed once (tests, benchmark)
    appearance   SignatureBlock, OnBehalf: the Thai text of the visible signature
    pades        PadesSigningService: sign a PDF at B-B / B-T / B-LT / B-LTA
    validation   validate_pdf(): a JSON-ready report on every signature of a PDF
    errors       the exception types
"""
