//! The few SQLite C calls the direct connection makes, behind a safe interface: open a file,
//! prepare (and keep) statements, bind, step, read the current row's columns.
//!
//! Every `unsafe` block here calls the SQLite API as its documentation requires: the database
//! and statement pointers come from SQLite, stay valid until [`Conn`]'s `Drop` finalizes and
//! closes them, and are only used through `&mut Conn` (one thread at a time: the connection is
//! opened with `SQLITE_OPEN_NOMUTEX` and kept behind a mutex). Column text and names are read
//! while the statement sits on that row and copied or decoded before the next step.

use libsqlite3_sys as sys;
use std::ffi::{c_char, c_int, CStr, CString};
use std::ptr::NonNull;

/// A failed SQLite call: its (extended) result code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteFailure {
    pub code: c_int,
    pub message: String,
}

impl SqliteFailure {
    fn new(code: c_int, message: impl Into<String>) -> Self {
        SqliteFailure { code, message: message.into() }
    }

    /// Work given up by the caller (`SQLITE_ABORT`), with why.
    pub fn aborted(message: impl Into<String>) -> Self {
        Self::new(sys::SQLITE_ABORT, message)
    }

    /// The database is locked by another connection (`SQLITE_BUSY`, `SQLITE_LOCKED`).
    pub fn is_busy(&self) -> bool {
        matches!(self.code & 0xff, sys::SQLITE_BUSY | sys::SQLITE_LOCKED)
    }
}

impl std::fmt::Display for SqliteFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sqlite error {}: {}", self.code, self.message)
    }
}

impl std::error::Error for SqliteFailure {}

pub type Result<T> = std::result::Result<T, SqliteFailure>;

/// A bound parameter.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

/// One column of the current row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'r> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'r str),
}

/// An open database connection with its prepared statements.
pub struct Conn {
    db: NonNull<sys::sqlite3>,
    /// Prepared statements by the address and length of their `'static` SQL text: a few
    /// pointer comparisons per statement, where a map hashed and compared the whole text (a few
    /// hundred bytes, about ten statements per update). The same text at two addresses is
    /// prepared twice, which costs nothing but a statement.
    statements: Vec<(usize, usize, NonNull<sys::sqlite3_stmt>)>,
}

// SAFETY: SQLite is built thread-safe (SQLITE_THREADSAFE=1); a connection opened with
// SQLITE_OPEN_NOMUTEX may move between threads as long as one thread uses it at a time, which
// `&mut self` on every method guarantees.
unsafe impl Send for Conn {}

impl Conn {
    /// Opens an existing database file (never creates one), read-write or, with `read_only`,
    /// read-only, with `pragmas` applied.
    pub fn open(path: &std::path::Path, pragmas: &str, read_only: bool) -> Result<Conn> {
        let path = path.to_str().ok_or_else(|| SqliteFailure::new(sys::SQLITE_CANTOPEN, "the path is not UTF-8"))?;
        let path = CString::new(path).map_err(|_| SqliteFailure::new(sys::SQLITE_CANTOPEN, "NUL in the path"))?;
        let mut db = std::ptr::null_mut();
        let mode = if read_only { sys::SQLITE_OPEN_READONLY } else { sys::SQLITE_OPEN_READWRITE };
        let flags = mode | sys::SQLITE_OPEN_NOMUTEX;
        // SAFETY: a NUL-terminated path and an out-pointer; on failure SQLite may still return a
        // handle, which `Conn`'s drop closes.
        let rc = unsafe { sys::sqlite3_open_v2(path.as_ptr(), &mut db, flags, std::ptr::null()) };
        let Some(db) = NonNull::new(db) else { return Err(SqliteFailure::new(sys::SQLITE_NOMEM, "out of memory")) };
        let mut conn = Conn { db, statements: Vec::new() };
        if rc != sys::SQLITE_OK {
            return Err(conn.failure(rc));
        }
        // SAFETY: a valid handle.
        unsafe {
            sys::sqlite3_extended_result_codes(conn.db.as_ptr(), 1);
        }
        // The query planner stability guarantee: a statement keeps the plan it was prepared
        // with, whatever values are bound. Without it a statement is prepared again whenever a
        // bound value the planner looked at changes: a `LIKE` whose pattern is a parameter (the
        // client search, on every search) and, with the STAT4 samples `ANALYZE` leaves, any
        // indexed column compared with a parameter. Our statements are planned for any value
        // (the EXPLAIN tests read their plans without values), so nothing is lost. Issue 11:
        // the search was parsed and planned anew each time, 6.7 % of the server's CPU in the
        // benchmark's burst.
        // SAFETY: a valid handle; this option takes an int and an int pointer (NULL: not read back).
        let rc = unsafe {
            sys::sqlite3_db_config(
                conn.db.as_ptr(),
                sys::SQLITE_DBCONFIG_ENABLE_QPSG,
                1 as c_int,
                std::ptr::null_mut::<c_int>(),
            )
        };
        if rc != sys::SQLITE_OK {
            return Err(conn.failure(rc));
        }
        conn.exec(pragmas)?;
        Ok(conn)
    }

    /// How often SQLite prepared this connection's statements again by itself (a schema change,
    /// or a bound value their plan depended on), all statements together.
    #[cfg(test)]
    pub fn reprepared(&self) -> i64 {
        self.statements
            .iter()
            // SAFETY: statements of this connection, not finalized before `Drop`.
            .map(|(_, _, s)| unsafe {
                i64::from(sys::sqlite3_stmt_status(s.as_ptr(), sys::SQLITE_STMTSTATUS_REPREPARE, 0))
            })
            .sum()
    }

    /// Outside any explicit transaction.
    pub fn autocommit(&self) -> bool {
        // SAFETY: a valid handle.
        unsafe { sys::sqlite3_get_autocommit(self.db.as_ptr()) != 0 }
    }

    fn failure(&self, rc: c_int) -> SqliteFailure {
        // SAFETY: a valid handle; the message is copied before any other call.
        let (code, message) = unsafe {
            let message = CStr::from_ptr(sys::sqlite3_errmsg(self.db.as_ptr())).to_string_lossy().into_owned();
            (sys::sqlite3_extended_errcode(self.db.as_ptr()), message)
        };
        SqliteFailure::new(if code == sys::SQLITE_OK { rc } else { code }, message)
    }

    /// Runs statements without parameters or results (pragmas, a last-resort `ROLLBACK`).
    pub fn exec(&mut self, sql: &str) -> Result<()> {
        let sql = CString::new(sql).map_err(|_| SqliteFailure::new(sys::SQLITE_MISUSE, "NUL in SQL"))?;
        // SAFETY: a valid handle and a NUL-terminated string; no callback.
        let rc = unsafe {
            sys::sqlite3_exec(self.db.as_ptr(), sql.as_ptr(), None, std::ptr::null_mut(), std::ptr::null_mut())
        };
        if rc == sys::SQLITE_OK {
            Ok(())
        } else {
            Err(self.failure(rc))
        }
    }

    /// Prepares `sql` (one statement) once and keeps it; binds `args` in order.
    fn statement(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<NonNull<sys::sqlite3_stmt>> {
        let key = (sql.as_ptr() as usize, sql.len());
        let stmt = match self.statements.iter().find(|(p, l, _)| (*p, *l) == key) {
            Some((_, _, s)) => *s,
            None => {
                let mut stmt = std::ptr::null_mut();
                let len = c_int::try_from(sql.len()).map_err(|_| SqliteFailure::new(sys::SQLITE_TOOBIG, "SQL"))?;
                // SAFETY: `sql` is valid for `len` bytes; the statement pointer is ours to finalize.
                let rc = unsafe {
                    sys::sqlite3_prepare_v3(
                        self.db.as_ptr(),
                        sql.as_ptr() as *const c_char,
                        len,
                        sys::SQLITE_PREPARE_PERSISTENT,
                        &mut stmt,
                        std::ptr::null_mut(),
                    )
                };
                if rc != sys::SQLITE_OK {
                    return Err(self.failure(rc));
                }
                let stmt = NonNull::new(stmt).ok_or_else(|| SqliteFailure::new(sys::SQLITE_MISUSE, "empty SQL"))?;
                self.statements.push((key.0, key.1, stmt));
                stmt
            }
        };
        // SAFETY: a statement of this connection; text is copied by SQLite (SQLITE_TRANSIENT).
        unsafe {
            sys::sqlite3_reset(stmt.as_ptr());
            sys::sqlite3_clear_bindings(stmt.as_ptr());
            if sys::sqlite3_bind_parameter_count(stmt.as_ptr()) as usize != args.len() {
                return Err(SqliteFailure::new(sys::SQLITE_RANGE, format!("{} parameters for {sql}", args.len())));
            }
            for (i, arg) in args.iter().enumerate() {
                let i = i as c_int + 1;
                let rc = match arg {
                    Arg::Null => sys::sqlite3_bind_null(stmt.as_ptr(), i),
                    Arg::Int(v) => sys::sqlite3_bind_int64(stmt.as_ptr(), i, *v),
                    Arg::Text(s) => sys::sqlite3_bind_text(
                        stmt.as_ptr(),
                        i,
                        s.as_ptr() as *const c_char,
                        c_int::try_from(s.len()).map_err(|_| SqliteFailure::new(sys::SQLITE_TOOBIG, "text"))?,
                        sys::SQLITE_TRANSIENT(),
                    ),
                };
                if rc != sys::SQLITE_OK {
                    return Err(self.failure(rc));
                }
            }
        }
        Ok(stmt)
    }

    /// Runs `sql` with `args`, ignoring any rows.
    pub fn execute(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<()> {
        self.query(sql, args, |_| Ok(())).map(drop)
    }

    /// Runs `sql` with `args` and hands each row to `row`; the statement is reset afterwards
    /// (which ends its implicit transaction). Stops at the first error.
    pub fn query<T>(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
        mut row: impl FnMut(&Row<'_>) -> std::result::Result<T, String>,
    ) -> Result<Vec<T>> {
        let stmt = self.statement(sql, args)?;
        let mut out = vec![];
        let result = loop {
            // SAFETY: a bound statement of this connection.
            match unsafe { sys::sqlite3_step(stmt.as_ptr()) } {
                sys::SQLITE_ROW => match row(&Row { stmt, _conn: std::marker::PhantomData }) {
                    Ok(v) => out.push(v),
                    Err(message) => break Err(SqliteFailure::new(sys::SQLITE_MISMATCH, message)),
                },
                sys::SQLITE_DONE => break Ok(out),
                rc => break Err(self.failure(rc)),
            }
        };
        // SAFETY: as above; resetting releases the statement's read or write transaction.
        unsafe { sys::sqlite3_reset(stmt.as_ptr()) };
        result
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // SAFETY: every statement belongs to this handle and is finalized once, before the
        // handle is closed (then nothing of it is left open).
        unsafe {
            for (_, _, stmt) in self.statements.drain(..) {
                sys::sqlite3_finalize(stmt.as_ptr());
            }
            sys::sqlite3_close(self.db.as_ptr());
        }
    }
}

/// The row a statement is on; valid until the next step.
pub struct Row<'s> {
    stmt: NonNull<sys::sqlite3_stmt>,
    _conn: std::marker::PhantomData<&'s mut Conn>,
}

impl Row<'_> {
    pub fn columns(&self) -> usize {
        // SAFETY: a statement on a row.
        unsafe { sys::sqlite3_column_count(self.stmt.as_ptr()) as usize }
    }

    pub fn name(&self, i: usize) -> &str {
        // SAFETY: a column index below the count; the name lives as long as the statement.
        let name = unsafe { sys::sqlite3_column_name(self.stmt.as_ptr(), i as c_int) };
        if name.is_null() {
            return "";
        }
        unsafe { CStr::from_ptr(name) }.to_str().unwrap_or("")
    }

    /// Column `i` of the row; text that is not UTF-8 and blobs are refused (the direct reads
    /// have neither; the caller then reads through sqlx, which decides what they mean).
    pub fn value(&self, i: usize) -> std::result::Result<Value<'_>, String> {
        let (stmt, i) = (self.stmt.as_ptr(), i as c_int);
        // SAFETY: a column index below the count; text is read after its type and before any
        // other call on the statement, and is valid for `column_bytes` bytes until the next step.
        unsafe {
            match sys::sqlite3_column_type(stmt, i) {
                sys::SQLITE_INTEGER => Ok(Value::Int(sys::sqlite3_column_int64(stmt, i))),
                sys::SQLITE_FLOAT => Ok(Value::Real(sys::sqlite3_column_double(stmt, i))),
                sys::SQLITE_NULL => Ok(Value::Null),
                sys::SQLITE_TEXT => {
                    let text = sys::sqlite3_column_text(stmt, i);
                    let len = sys::sqlite3_column_bytes(stmt, i) as usize;
                    if text.is_null() {
                        return Ok(Value::Text(""));
                    }
                    let bytes = std::slice::from_raw_parts(text, len);
                    std::str::from_utf8(bytes).map(Value::Text).map_err(|e| format!("column {i}: {e}"))
                }
                _ => Err(format!("column {i} is a blob")),
            }
        }
    }
}
