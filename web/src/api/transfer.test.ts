import { describe, expect, it } from "vitest";
import { filenameOf, uploadForm } from "./transfer";

describe("files to and from the API", () => {
  it("puts the presigned fields before the file, as S3 requires", () => {
    const form = uploadForm({ key: "mdes-ops/documents/d/files/f/original", policy: "p", "x-amz-signature": "s" },
      new Blob(["%PDF-1.7"], { type: "application/pdf" }), "หนังสือ.pdf");
    expect([...form.keys()]).toEqual(["key", "policy", "x-amz-signature", "file"]);
    const file = form.get("file");
    expect(file).toBeInstanceOf(File);
    expect((file as File).name).toBe("หนังสือ.pdf");
    expect((file as File).size).toBe("%PDF-1.7".length);
  });

  it("reads the download's name from Content-Disposition, Thai (filename*) first", () => {
    expect(filenameOf("attachment; filename=\"incoming-2569.csv\"", "x")).toBe("incoming-2569.csv");
    expect(filenameOf("inline; filename*=UTF-8''%E0%B8%97%E0%B8%B0%E0%B9%80%E0%B8%9A%E0%B8%B5%E0%B8%A2%E0%B8%99.pdf", "x"))
      .toBe("ทะเบียน.pdf");
    expect(filenameOf("attachment; filename*=UTF-8''%E0%ZZ; filename=\"plain.pdf\"", "x")).toBe("plain.pdf");
    expect(filenameOf(null, "register.csv")).toBe("register.csv");
    expect(filenameOf("attachment", "register.csv")).toBe("register.csv");
  });
});
