//! The Rust examples of the README streaming section, kept compiling and passing (same code).

#[test]
fn readme_example_1() -> Result<(), sigv4::Error> {
    use sigv4::{
        sign_streaming, Body, ChunkedPlan, Credentials, PayloadMode, Request, Signer, SigningTime,
    };

    let creds = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
    )?;
    let signer = Signer::new(creds, "us-east-1", "s3")?;
    let plan = ChunkedPlan::new(PayloadMode::StreamingSignedTrailer, 66_560, 65_536)?
        .with_trailer("x-amz-checksum-crc32")?;
    let headers = [("x-amz-storage-class", "REDUCED_REDUNDANCY")];
    let request = Request::new(
        "PUT",
        "https://s3.amazonaws.com/examplebucket/chunkObject.txt",
        &headers,
        Body::Bytes(b""),
    )?;
    let mut upload = sign_streaming(
        &signer,
        &request,
        SigningTime::parse("20130524T000000Z")?,
        plan,
    )?;
    // upload.request.headers(): what to send; upload.seed_signature(): the first link of the chain.
    let mut wire = Vec::new();
    for piece in [vec![b'a'; 40_000], vec![b'a'; 26_560]] {
        wire.extend(upload.encoder.write(&piece)?); // chunks as soon as they are full
    }
    wire.extend(
        upload
            .encoder
            .finish(&[("x-amz-checksum-crc32", "AAAAAA==")])?,
    );
    assert_eq!(wire.len() as u64, upload.encoder.plan().content_length());
    Ok(())
}

#[test]
fn readme_example_2() -> Result<(), sigv4::Error> {
    use sigv4::{
        Body, Credentials, Request, Signer, SigningAlgorithm, SigningSettings, SigningTime,
    };

    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )?;
    let mut settings = SigningSettings::for_service("s3");
    settings.algorithm = SigningAlgorithm::Sigv4a;
    let signer = Signer::with_settings(creds, "us-east-1,us-west-2", "s3", settings)?;
    let request = Request::new(
        "GET",
        "https://mrap.accesspoint.s3-global.amazonaws.com/key",
        &[],
        Body::Bytes(b""),
    )?;
    let signed = signer.sign(&request, SigningTime::parse("20150830T123600Z")?)?;
    assert!(signed
        .authorization()
        .unwrap()
        .starts_with("AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/s3/aws4_request"));
    Ok(())
}
