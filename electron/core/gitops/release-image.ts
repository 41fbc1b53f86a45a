import { isMap, isSeq, parseDocument } from "yaml";
import { AppError } from "../../../shared/contract/errors";

/** What a release pins: the tag people read and, for an immutable release, the image's digest. */
interface ImagePin {
  readonly tag?: string;
  readonly digest?: string;
}

/** An image digest as registries and kustomize write it. */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** `name:tag@sha256:…`, the form a release names its image in (the tag kept for humans). */
export function showImage(image: string, pin: ImagePin): string {
  return `${image}${pin.tag ? `:${pin.tag}` : ""}${pin.digest ? `@${pin.digest}` : ""}`;
}

// A tag written beside an old digest deploys nothing new (kustomize and the runtime pull by digest when one is
// set) while the commit claims a new version: an overlay pinned by digest only moves by a new digest.
function refuseTagOverDigest(pinned: unknown, image: string, pin: ImagePin): void {
  if (!pin.digest && pinned !== undefined && pinned !== null && String(pinned) !== "")
    throw new AppError(
      "invalid-input",
      `${image} is pinned by digest (${String(pinned)}) here: a new tag alone would deploy nothing new. Give the image's digest (sha256:…) with the release.`,
    );
}

/**
 * Pins an image in a kustomization's `images:` entry, keeping comments and layout: `digest` when given (kustomize
 * then builds `name:tag@digest`), `newTag` set to the release's tag or removed when the release names none, so
 * the file never shows a tag the digest does not carry.
 */
export function setImage(kustomization: string, image: string, pin: ImagePin): string {
  const doc = parseDocument(kustomization);
  let images = doc.get("images");
  if (!isSeq(images)) {
    doc.set("images", doc.createNode([]));
    images = doc.get("images");
  }
  if (!isSeq(images)) throw new AppError("invalid-input", "The kustomization's images: is not a list.");
  const entry = images.items.find((item) => isMap(item) && item.get("name") === image);
  if (isMap(entry)) {
    refuseTagOverDigest(entry.get("digest"), image, pin);
    if (pin.tag) entry.set("newTag", pin.tag);
    else entry.delete("newTag");
    if (pin.digest) entry.set("digest", pin.digest);
  } else
    images.add(
      doc.createNode({
        name: image,
        ...(pin.tag ? { newTag: pin.tag } : {}),
        ...(pin.digest ? { digest: pin.digest } : {}),
      }),
    );
  return doc.toString({ lineWidth: 0 });
}

/**
 * Pins the image in a Helm values file: `image.repository` names it, `image.tag` and `image.digest` pin it (the
 * chart renders `repository:tag@digest`, as Bitnami's and most charts do). A values file whose `image.repository`
 * names another image is refused rather than repointed.
 */
export function setHelmImage(values: string, image: string, pin: ImagePin): string {
  const doc = parseDocument(values.trim() === "" ? "{}\n" : values);
  let block = doc.get("image");
  if (!isMap(block)) {
    doc.set("image", doc.createNode({ repository: image }));
    block = doc.get("image");
  }
  if (!isMap(block)) throw new AppError("invalid-input", "The Helm values' image: is not a map.");
  const repository = block.get("repository");
  if (repository !== undefined && repository !== null && String(repository) !== image)
    throw new AppError(
      "invalid-input",
      `The Helm values file deploys ${String(repository)}, not ${image}: release the image its image.repository names.`,
    );
  refuseTagOverDigest(block.get("digest"), image, pin);
  block.set("repository", image);
  if (pin.tag) block.set("tag", pin.tag);
  else block.delete("tag");
  if (pin.digest) block.set("digest", pin.digest);
  return doc.toString({ lineWidth: 0 });
}
