//! The blob store: files under `<data-dir>/blobs/`, named by a random id (never by what the
//! uploader called them), outside anything the web server serves. A file is first written
//! to `blobs/tmp/` and renamed into place only when it is complete and its row is about to
//! be committed, so a crash leaves at most an orphaned temporary file, never half a document.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use tokio::io::AsyncWriteExt;

#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
}

/// A complete file in `blobs/tmp/`, removed again unless it is committed.
#[derive(Debug)]
pub struct TempBlob {
    path: PathBuf,
    pub size: u64,
    committed: bool,
}

impl Drop for TempBlob {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Writes a temporary blob piece by piece.
pub struct TempWriter {
    file: tokio::fs::File,
    blob: TempBlob,
}

impl TempWriter {
    pub async fn write(&mut self, chunk: &[u8]) -> anyhow::Result<()> {
        self.file.write_all(chunk).await.context("cannot write an upload")?;
        self.blob.size += chunk.len() as u64;
        Ok(())
    }

    /// Flushes to disk; the blob is then whole.
    pub async fn finish(mut self) -> anyhow::Result<TempBlob> {
        self.file.flush().await.context("cannot write an upload")?;
        self.file.sync_all().await.context("cannot write an upload")?;
        Ok(self.blob)
    }
}

impl BlobStore {
    pub fn new(data_dir: &Path) -> Self {
        BlobStore { root: data_dir.join("blobs") }
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Blob names are 32 hex digits; anything else never touches the file system.
    fn path_of(&self, name: &str) -> Option<PathBuf> {
        (name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
            .then(|| self.root.join(&name[..2]).join(name))
    }

    pub async fn temp_writer(&self) -> anyhow::Result<TempWriter> {
        let dir = self.tmp_dir();
        tokio::fs::create_dir_all(&dir).await.with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(new_name());
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(TempWriter { file, blob: TempBlob { path, size: 0, committed: false } })
    }

    pub async fn temp_from_bytes(&self, bytes: &[u8]) -> anyhow::Result<TempBlob> {
        let mut writer = self.temp_writer().await?;
        writer.write(bytes).await?;
        writer.finish().await
    }

    /// Moves a complete temporary blob to its final name and returns the name. Call it inside
    /// the transaction that records the blob, just before committing; if the commit fails,
    /// `remove` the name again.
    pub async fn commit(&self, mut blob: TempBlob) -> anyhow::Result<String> {
        let name = new_name();
        let path = self.path_of(&name).context("blob name")?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        tokio::fs::rename(&blob.path, &path).await.context("cannot move an upload into place")?;
        blob.committed = true;
        Ok(name)
    }

    pub async fn open(&self, name: &str) -> anyhow::Result<tokio::fs::File> {
        let path = self.path_of(name).context("invalid blob name")?;
        tokio::fs::File::open(&path).await.with_context(|| format!("cannot open blob {name}"))
    }

    /// A whole blob in memory (for photos, which are at most 25 MB).
    pub async fn read(&self, name: &str) -> anyhow::Result<Vec<u8>> {
        let path = self.path_of(name).context("invalid blob name")?;
        tokio::fs::read(&path).await.with_context(|| format!("cannot read blob {name}"))
    }

    /// Removes a blob whose row is gone; a missing file is not an error.
    pub async fn remove(&self, name: &str) {
        if let Some(path) = self.path_of(name) {
            if let Err(e) = tokio::fs::remove_file(&path).await {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(blob = name, error = %e, "cannot remove a blob");
                }
            }
        }
    }

    /// Temporary files older than an hour belong to uploads that died; they go.
    pub async fn sweep_temp(&self) {
        let Ok(mut entries) = tokio::fs::read_dir(self.tmp_dir()).await else { return };
        let cutoff = SystemTime::now() - Duration::from_hours(1);
        while let Ok(Some(entry)) = entries.next_entry().await {
            let old = entry.metadata().await.and_then(|m| m.modified()).is_ok_and(|t| t < cutoff);
            if old {
                let _ = tokio::fs::remove_file(entry.path()).await;
            }
        }
    }
}

fn new_name() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_blob_is_only_in_place_once_committed() {
        let dir = std::env::temp_dir().join(format!("folio-blobs-{}", std::process::id()));
        let store = BlobStore::new(&dir);
        let temp = store.temp_from_bytes(b"%PDF-1.4 hello").await.unwrap();
        let temp_path = temp.path.clone();
        assert!(temp_path.exists());
        let name = store.commit(temp).await.unwrap();
        assert!(!temp_path.exists());
        let mut content = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut store.open(&name).await.unwrap(), &mut content)
            .await
            .unwrap();
        assert_eq!(content, "%PDF-1.4 hello");
        store.remove(&name).await;
        assert!(store.open(&name).await.is_err());

        // An upload that is dropped before commit leaves nothing behind.
        let dropped = store.temp_from_bytes(b"half").await.unwrap();
        let dropped_path = dropped.path.clone();
        drop(dropped);
        assert!(!dropped_path.exists());

        // Names from outside never reach the file system.
        assert!(store.open("../../etc/passwd").await.is_err());
        assert!(store.path_of("0123456789ABCDEF0123456789abcdef").is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
