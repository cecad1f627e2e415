/** What the README of an export states about it. */
export interface ExportFacts {
  readonly origin: string;
  readonly entries: number;
  /** Evidence files written under files/. */
  readonly files: number;
  readonly checkpoints: number;
  /** Undefined when the database had no signing key (and so no checkpoint). */
  readonly keyName: string | undefined;
  readonly exportedAt: string;
}

/** README.txt of an audit export, in Chinese and English: what the files are and how to verify them. Pure. */
export function exportReadme(facts: ExportFacts): string {
  const key = facts.keyName ?? '（无 none）';
  return `duban 督办 — 审计日志导出 / audit log export
==================================================

日志名称 Log:              ${facts.origin}
导出时间 Exported at:      ${facts.exportedAt}
审计记录 Entries:          ${facts.entries}
佐证材料 Files:            ${facts.files}
签名检查点 Checkpoints:    ${facts.checkpoints}
签名公钥 Signing key:      ${key}

文件 / Files
  entries.jsonl    每行一条审计记录（AuditEntry，含 instanceId），与计算哈希时的内容完全一致。
                   One audit entry per line (AuditEntry, with instanceId), exactly as hashed.
  checkpoints.txt  服务器用 Ed25519 签名的检查点，每个检查点之后空一行。
                   Checkpoints the server signed with Ed25519, each followed by a blank line.
  files/<sha256>   审计记录所附的每个佐证材料文件，以其内容的 SHA-256 命名（同一内容只存一份）。
                   Every evidence file the entries recorded, named by the SHA-256 of its bytes (once each).
  pubkey.pem       服务器的签名公钥（仅供对照，见下文）。
                   The server's signing public key (for comparison only; see below).

如何核验
  1. 请使用您事先用 \`duban audit pubkey\` 保存的公钥。与导出文件放在一起的 pubkey.pem
     本身不能证明任何事情——能篡改日志的人也能替换它——除非它与您保存的公钥一致。
  2. 运行（在 duban 代码目录下）：
       npx pnpm duban audit verify --log <本目录> --pubkey <您保存的公钥.pem>
     如果您另外保存了更新的检查点（例如从 GET /api/audit/checkpoints 取得的），一并给出：
       npx pnpm duban audit verify --log <本目录> --pubkey <公钥> --checkpoint <检查点文件>
  3. 退出码 0 表示日志完整；退出码 1 时会指出第一条有问题的记录序号（seq）或有问题的
     检查点，以及原因（被修改、被删除、被插入、顺序被调换、尾部被截断、整链被重新计算哈希、
     检查点被篡改或由其他密钥签名、同一长度出现两个不同的根即日志被分叉），或指出哪条记录的
     哪个佐证材料文件（文件名与 SHA-256）缺失、被替换或被截断。

How to verify
  1. Use the public key you kept earlier from \`duban audit pubkey\`. The pubkey.pem shipped with
     this export proves nothing by itself — whoever could alter the log could replace it too —
     unless it matches the key you kept.
  2. Run (in a duban checkout):
       npx pnpm duban audit verify --log <this directory> --pubkey <your kept key.pem>
     If you also kept a newer checkpoint (e.g. from GET /api/audit/checkpoints), add it:
       npx pnpm duban audit verify --log <this directory> --pubkey <key> --checkpoint <file>
  3. Exit 0: the log is intact. Exit 1: the first bad seq (or the bad checkpoint) is named with
     the reason (edited, deleted, inserted, reordered, tail cut, whole chain re-hashed, checkpoint
     altered or signed by another key, two roots for one size — a forked log), or the entry (seq)
     and the file (name, sha256) that is missing, replaced or truncated.

不用 duban 自行核验的格式说明 / The format, to check without duban
  - hash = SHA-256(0x00 || 规范 JSON（RFC 8785）of the entry's fields seq, instanceId, version,
    type, actor{role,unit}, payload, from, to, at, prevHash — i.e. every field except hash).
  - 记录的 payload.attachments 列出 { sha256, name, size, type }：files/<sha256> 须存在，长度为 size，
    其 SHA-256 等于 sha256。An entry's payload.attachments lists { sha256, name, size, type }: files/<sha256>
    must exist, be size bytes long and hash (SHA-256) to sha256.
  - 第 1 条的 prevHash 为 64 个 0；其后每条的 prevHash 等于前一条的 hash；seq 从 1 连续递增。
    prevHash of entry 1 is 64 zeros; every other prevHash is the previous entry's hash; seqs run 1, 2, 3…
  - 检查点的根是前 size 条记录哈希（作为叶子）的 RFC 9162 Merkle 树根。
    A checkpoint's root is the RFC 9162 Merkle tree hash over the first \`size\` entry hashes as leaves.
  - 检查点文本：日志名称、size、base64 根、"time <ISO>"，空行，然后 "— <密钥名> <base64 签名>"；
    签名是 Ed25519 对空行之前正文（含末尾换行）的签名；密钥名为 ed25519: 加公钥 DER 的 SHA-256 前 8 字节（hex）。
    Checkpoint text: origin, size, base64 root, "time <ISO>", a blank line, then "— <key name> <base64
    signature>": an Ed25519 signature over the body before the blank line (with its final newline);
    the key name is "ed25519:" and the first 8 bytes (hex) of the SHA-256 of the public key's DER.
`;
}
