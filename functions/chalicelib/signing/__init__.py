"""PAdES signing core: KMS-backed signer, level policy, Thai visible signatures, validation.

Modules (import the one you need; only policy.py is free of the ~0.4 s pyHanko import):
    policy       PadesLevel, LevelPolicy, choose_level(): which level a document gets
    kms_signer   KmsSigner: a pyHanko Signer whose key lives in AWS KMS (MessageType=RAW)
    key_signer   InMemoryKeySigner: the same with a key in memory, parsed once (tests, benchmark)
    appearance   SignatureBlock, OnBehalf: the Thai text of the visible signature
    pades        PadesSigningService: sign a PDF at B-B / B-T / B-LT / B-LTA
    validation   validate_pdf(): a JSON-ready report on every signature of a PDF
    errors       the exception types
    sizing, fonts  internals: /Contents reservation, the lean Thai font engine

Wiring (sign worker):
    kms = boto3.client("kms")
    signer = KmsSigner(kms, key_id, signing_cert, ca_chain)         # certs: DER from the agency's CA
    service = PadesSigningService(trust_roots=[root], tsa_url=TSA)  # one per container, reused
    level = choose_level(doc.retention_years, LevelPolicy.from_mapping(agency.settings["signing"]))
    signed = service.sign(pdf, signer, level=level, field="Sig1",
                          block=SignatureBlock(name, position, OnBehalf(OnBehalfKind.DELEGATED, "...")),
                          reason=capacity_reason(block, "คำสั่ง ที่ 45/2569"))
    report = validate_pdf(signed.pdf, [root]).to_dict()
"""
