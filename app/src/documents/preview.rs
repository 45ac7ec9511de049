//! Previews of photos for lists: a small JPEG made from the clean image once, after the upload
//! has been answered (or at the first request for it, for photos stored before), so that no
//! upload waits for it and no list loads a 12-megapixel photo per row.

use tokio::sync::Semaphore;

use super::ssr::{stored, Stored};
use super::store::BlobStore;
use crate::error::{AppError, Result};
use crate::ids::{BrokerId, DocumentId};
use crate::state::AppState;

/// The longer side of a preview in pixels: sharp on a high-density phone screen at the size
/// lists show it, and a few dozen kilobytes.
pub const MAX_SIDE: u32 = 480;

/// One preview at a time: decoding a 48-megapixel photo takes about 150 MB, and a preview
/// asked for while it is being made is then simply there once the turn comes.
static MAKER: Semaphore = Semaphore::const_new(1);

/// After an upload: makes the preview of a photo in the background (PDFs have none).
pub fn after_upload(state: &AppState, broker_id: BrokerId, id: DocumentId, media_type: &str) {
    if !media_type.starts_with("image/") {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(error) = make(&state, broker_id, id).await {
            tracing::warn!(document = id.0, %error, "cannot make a preview");
        }
    });
}

/// The blob of the preview of `doc` (document `id`, as the caller has just read it), made now
/// if there is none yet. `None` for documents that are not photos.
pub async fn ensure(
    state: &AppState,
    broker_id: BrokerId,
    id: DocumentId,
    doc: &Stored,
) -> Result<Option<String>> {
    if !doc.media_type.starts_with("image/") {
        return Ok(None);
    }
    if doc.preview_blob.is_some() {
        return Ok(doc.preview_blob.clone());
    }
    make(state, broker_id, id).await
}

/// Makes the preview on its turn, unless whoever had the turn before made it already.
async fn make(state: &AppState, broker_id: BrokerId, id: DocumentId) -> Result<Option<String>> {
    let _turn = MAKER.acquire().await.map_err(AppError::internal)?;
    let Some(doc) = read(state, broker_id, id).await? else { return Ok(None) };
    if doc.preview_blob.is_some() {
        return Ok(doc.preview_blob);
    }
    let blobs = BlobStore::new(&state.config.data_dir);
    let clean = blobs.read(&doc.blob).await?;
    let jpeg = tokio::task::spawn_blocking(move || {
        sanitizer::thumbnail(&clean, MAX_SIDE, &sanitizer::Limits::default())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|e| AppError::internal(anyhow::anyhow!("preview of document {id}: {e}")))?;
    let name = blobs.commit(blobs.temp_from_bytes(&jpeg).await?).await?;
    let updated = super::ssr::set_preview(&mut *state.db.pool.acquire().await?, broker_id, id, &name).await?;
    if updated {
        return Ok(Some(name));
    }
    // Made by another server process meanwhile, or the document was deleted.
    blobs.remove(&name).await;
    Ok(read(state, broker_id, id).await?.and_then(|d| d.preview_blob))
}

async fn read(state: &AppState, broker_id: BrokerId, id: DocumentId) -> Result<Option<Stored>> {
    let mut conn = state.db.pool.acquire().await?;
    stored(&mut conn, broker_id, id).await
}
