//! The user's data file in the browser: read in slices (the page stays
//! responsive while a 20 MB file is read), and kept in the browser's
//! IndexedDB under its content hash, so a link naming it opens here again.
//! Nothing leaves the machine.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

use crate::engine::data::table::{ReadOptions, Table, TableReader};
use crate::experiment::OwnData;

/// Bytes read per task: parsing a slice takes a few milliseconds, so no
/// task comes near a frame's budget, whatever the file's size.
const SLICE: f64 = 256.0 * 1024.0;

/// Reads `file` as a table, a slice per task, telling `progress` the share
/// read; refused by size before a byte is read.
pub async fn read_table(file: &web_sys::File, progress: impl Fn(f64)) -> Result<Table, String> {
    let size = file.size();
    TableReader::check_size(size as u64).map_err(|e| e.to_string())?;
    let mut reader = TableReader::new(ReadOptions::default());
    let mut at = 0.0;
    while at < size {
        let end = (at + SLICE).min(size);
        let blob = file.slice_with_f64_and_f64(at, end).map_err(|_| "the file could not be read".to_string())?;
        let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|_| "the file could not be read".to_string())?;
        reader.push(&Uint8Array::new(&buffer).to_vec()).map_err(|e| e.to_string())?;
        at = end;
        progress(at / size.max(1.0));
    }
    reader.finish().map_err(|e| e.to_string())
}

const DB: &str = "hyperlab-data";
const STORE: &str = "files";

/// A promise of an IndexedDB request's result.
fn settled(request: &IdbRequest) -> Promise {
    let request = request.clone();
    Promise::new(&mut |resolve, reject| {
        let ok = {
            let request = request.clone();
            Closure::once_into_js(move || {
                let _ = resolve.call1(&JsValue::NULL, &request.result().unwrap_or(JsValue::UNDEFINED));
            })
        };
        let failed = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(failed.unchecked_ref()));
    })
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("this browser keeps no data for pages (IndexedDB is off)")?;
    let request = factory.open_with_u32(DB, 1).map_err(|_| "the browser's storage could not be opened")?;
    let upgrade = {
        let request = request.clone();
        Closure::once_into_js(move || {
            if let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                if !db.object_store_names().contains(STORE) {
                    let _ = db.create_object_store(STORE);
                }
            }
        })
    };
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = JsFuture::from(settled(&request)).await.map_err(|_| "the browser's storage could not be opened")?;
    db.dyn_into::<IdbDatabase>().map_err(|_| "the browser's storage could not be opened".into())
}

/// Keeps `own` in this browser under its hash.
pub async fn save(own: &OwnData) -> Result<(), String> {
    let db = open().await?;
    let fail = |_| "the browser's storage refused the file (full or blocked)".to_string();
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite).map_err(fail)?;
    let store = tx.object_store(STORE).map_err(fail)?;
    let bytes = Uint8Array::from(own.to_bytes().as_slice());
    let request = store.put_with_key(&bytes, &JsValue::from_str(&own.file.hash)).map_err(fail)?;
    JsFuture::from(settled(&request)).await.map_err(fail)?;
    db.close();
    Ok(())
}

/// The data this browser kept under `hash`, if any — checked (shape, hash)
/// before use, as anything read from storage is.
pub async fn load(hash: &str) -> Result<Option<OwnData>, String> {
    let db = open().await?;
    let fail = |_| "the browser's storage could not be read".to_string();
    let tx = db.transaction_with_str(STORE).map_err(fail)?;
    let store = tx.object_store(STORE).map_err(fail)?;
    let request = store.get(&JsValue::from_str(hash)).map_err(fail)?;
    let value = JsFuture::from(settled(&request)).await.map_err(fail)?;
    db.close();
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let bytes = value.dyn_into::<Uint8Array>().map_err(|_| "the data kept here are not a data file".to_string())?;
    OwnData::from_bytes(&bytes.to_vec()).map(Some).map_err(|e| format!("the data kept here: {e}"))
}
