"""Every Indonesian string a user reads, in one place so it can be reviewed as a whole.

Templates are HTML (Telegram parse_mode=HTML). Every value that comes from a user or from
the record must go through ``esc()`` before it is placed in a template; the helpers below
that take user text already do so.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import time

SERVICE_NAME = "Layanan Informasi Media Sosial Pemerintah Kabupaten Bone"


def esc(value: object) -> str:
    """Escape a value for Telegram HTML."""
    return html.escape(str(value), quote=False)


# ----------------------------------------------------------------------------- start-up
MISSING_TOKEN = (
    "BOT_TOKEN belum diatur / BOT_TOKEN is not set.\n"
    "\n"
    "ID: Buat bot di Telegram lewat @BotFather (perintah /newbot), salin token yang\n"
    "    diberikan, lalu jalankan:  BOT_TOKEN=123456:ABC... make run\n"
    "    Atur juga ADMIN_CHAT_ID (grup admin), ADMIN_IDS dan OFFICIAL_IDS\n"
    "    (lihat .env.example). Untuk melihat bot bekerja tanpa token: make demo\n"
    "EN: Create a bot with @BotFather on Telegram (/newbot), copy the token it gives you,\n"
    "    then run:  BOT_TOKEN=123456:ABC... make run\n"
    "    Also set ADMIN_CHAT_ID (the admin group), ADMIN_IDS and OFFICIAL_IDS\n"
    "    (see .env.example). To see the bot working without a token: make demo\n"
)


# ----------------------------------------------------------------------------- citizens
# (section: citizens)
def start_greeting(*, name: str, hours: str, first_response: str, retention_days: int) -> str:
    return (
        f"Selamat datang, {esc(name)}.\n\n"
        f"Ini adalah kanal resmi <b>{SERVICE_NAME}</b>. Silakan tuliskan pertanyaan, "
        "pengaduan, aspirasi, atau permintaan informasi Anda di sini. Setiap pesan dicatat "
        "dengan nomor tiket dan dijawab oleh petugas media sosial.\n\n"
        f"<b>Jam layanan:</b> {esc(hours)} WITA, kecuali hari libur nasional dan cuti bersama.\n"
        f"<b>Waktu tanggapan:</b> paling lambat {esc(first_response)} kerja sejak pesan diterima "
        "pada jam layanan. Pesan di luar jam layanan dijawab setelah kantor buka.\n\n"
        "<b>Privasi:</b> pesan Anda kami simpan untuk pelayanan dan laporan tahunan sesuai "
        "Peraturan Bupati Bone Nomor 22 Tahun 2019. Laporan tidak memuat nama atau identitas "
        "Anda. Mohon tidak mengirim NIK, nomor rekening, atau data pribadi lain kecuali diminta "
        "petugas.\n" + privacy_rights(retention_days=retention_days)
    )


def ack_new_ticket(*, ticket_id: int, expectation: str) -> str:
    return (
        f"Terima kasih, pesan Anda sudah kami terima dengan nomor tiket <b>#{ticket_id}</b>.\n"
        f"{expectation}\n"
        "Anda dapat menambahkan keterangan dengan membalas di sini."
    )


def ack_joined_ticket(*, ticket_id: int) -> str:
    return (
        f"Pesan tambahan Anda sudah kami catat pada tiket <b>#{ticket_id}</b>. "
        "Mohon menunggu jawaban petugas."
    )


def ack_comment(*, ticket_id: int) -> str:
    return (
        f"Terima kasih atas komentar Anda. Komentar ini kami catat dengan nomor "
        f"<b>#{ticket_id}</b> dan akan ditanggapi petugas."
    )


def expectation_open(*, due: str) -> str:
    return f"Petugas kami akan menjawab paling lambat {esc(due)}."


def expectation_closed(*, opens: str, due: str) -> str:
    return (
        f"Saat ini di luar jam layanan. Kantor buka kembali {esc(opens)}, dan pesan Anda "
        f"akan dijawab paling lambat {esc(due)}."
    )


def answer_to_citizen(*, ticket_id: int, answer: str, source: str | None) -> str:
    footer = f"\n\n<i>Dasar: {esc(source)}</i>" if source else ""
    return (
        f"<b>Jawaban untuk tiket #{ticket_id}</b>\n\n{esc(answer)}{footer}\n\n"
        f"— Petugas {SERVICE_NAME}"
    )


DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# Dates and durations (bot/domain/labels.py puts them together).
LOCAL_DATE = "{day_name}, {day} {month} {year}"
LOCAL_DATETIME = "{date} pukul {time}"
DURATION_UNDER_A_MINUTE = "kurang dari 1 menit"
DURATION_HOURS = "{n} jam"
DURATION_MINUTES = "{n} menit"
SHARE_MISSING = "–"


def working_hours_summary(hours: Mapping[int, Sequence[tuple[time, time]]]) -> str:
    """ "Senin–Kamis 07.30–12.00 dan 13.00–16.00; Jumat …", grouping days with equal hours."""
    groups: list[tuple[list[int], str]] = []
    for weekday in sorted(hours):
        periods = hours[weekday]
        if not periods:
            continue
        ranges = " dan ".join(
            f"{start.strftime('%H.%M')}–{end.strftime('%H.%M')}" for start, end in periods
        )
        if groups and groups[-1][1] == ranges and groups[-1][0][-1] == weekday - 1:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], ranges))
    parts = []
    for days, ranges in groups:
        label = DAY_NAMES[days[0]]
        if len(days) > 1:
            label += f"–{DAY_NAMES[days[-1]]}"
        parts.append(f"{label} {ranges}")
    return "; ".join(parts)


COMMANDS_CITIZEN = {
    "start": "Mulai dan lihat jam layanan",
    "langganan": "Berlangganan informasi Pemerintah Kabupaten Bone",
    "berhenti": "Berhenti berlangganan informasi",
    "datasaya": "Lihat data Anda yang tersimpan",
    "hapusdata": "Hapus identitas Anda dari catatan layanan",
}
COMMANDS_STAFF = {
    "antrian": "Kerjakan tiket terbuka satu per satu",
    "faq": "Kelola FAQ (lihat, ubah, hapus, celah, varian)",
    "teruskan": "Teruskan tiket ke Perangkat Daerah lain",
    "kinerja": "Kinerja layanan (waktu tanggapan)",
    "kendala": "Catat kendala untuk laporan tahunan",
    "rekomendasi": "Catat rekomendasi untuk laporan tahunan",
    "posting": "Buat postingan kanal resmi (Pasal 10)",
    "siaran": "Kirim siaran kepada pelanggan informasi",
    "rahasia": "Tandai tiket rahasia (tidak dikutip dalam laporan)",
    "anonim": "Tandai tiket anonim (identitas warga disembunyikan)",
}
COMMANDS_OFFICIAL = {
    "laporan": "Laporan Pasal 15 (DOCX dan PDF)",
    "evaluasi": "Evaluasi Pasal 16 antar-Perangkat Daerah (DOCX dan PDF)",
    "petugas": "Petugas pengelola menurut SK (tambah/hapus)",
    "audit": "Jejak audit tindakan petugas dan pejabat (CSV)",
}


def staff_help(*, official: bool) -> str:
    commands = {**COMMANDS_STAFF, **(COMMANDS_OFFICIAL if official else {})}
    lines = "\n".join(f"/{name} — {esc(text)}" for name, text in commands.items())
    return (
        "<b>Perintah petugas</b>\n"
        f"{lines}\n\n"
        "Kartu tiket muncul di grup admin; tombol ✅ Kirim saran mengirim jawaban, "
        "atau balas (reply) kartu untuk menjawab dengan teks sendiri."
    )


STICKER_ONLY = (
    "Terima kasih. Silakan tuliskan pertanyaan atau keperluan Anda dalam bentuk pesan, "
    "agar dapat kami catat dan jawab."
)
NOT_FOR_CITIZENS = "Maaf, perintah ini hanya untuk petugas."


# ----------------------------------------------------------------------------- admins
# (section: admins)
BTN_SEND = "✅ Kirim saran"
BTN_NEXT = "🔁 Saran lain"
BTN_EDIT = "✏️ Ubah"
BTN_IGNORE = "🚫 Abaikan"
BTN_KIND = "🏷 Jenis"
BTN_BACK = "↩️ Kembali"
BTN_QUEUE_NEXT = "⏭ Berikutnya"
BTN_SAVE_FAQ = "💾 Simpan ke FAQ"
BTN_ATTACHMENTS = "📎 Lihat lampiran ({count})"
ALERT_ATTACHMENTS_SENT = (
    "Lampiran dikirim ke chat pribadi Anda dengan bot. Bila belum pernah, buka bot dan "
    "tekan Mulai (/start) agar bot dapat mengirim pesan kepada Anda."
)
ALERT_NO_ATTACHMENTS = "Tiket ini tidak memiliki lampiran."
ATTACHMENTS_HEADER = "📎 Lampiran tiket #{ticket_id}:"

KIND_LABELS = {
    "pertanyaan": "Pertanyaan",
    "pengaduan": "Pengaduan",
    "aspirasi": "Aspirasi",
    "permintaan_informasi": "Permintaan informasi",
    "komentar": "Komentar",
}
CLOSE_REASON_LABELS = {
    "dijawab": "Dijawab",
    "spam": "Spam",
    "duplikat": "Duplikat",
    "bukan_wewenang": "Bukan wewenang",
}
CONTENT_LABELS = {
    "photo": "📷 Foto",
    "document": "📎 Dokumen",
    "voice": "🎤 Pesan suara",
    "audio": "🎵 Audio",
    "video": "🎬 Video",
    "video_note": "🎬 Video bulat",
    "location": "📍 Lokasi",
    "contact": "👤 Kontak",
    "sticker": "🙂 Stiker",
    "animation": "🎞 Animasi",
    "venue": "📍 Tempat",
    "poll": "📊 Jajak pendapat",
}

CARD_ICONS = {"open": "🆕", "answered": "✅", "ignored": "🚫"}


def card_header(
    *,
    state: str,
    ticket_id: int,
    kind: str,
    when: str,
    citizen_name: str,
    username: str | None,
    from_comment: bool,
) -> str:
    citizen = esc(citizen_name or "Warga")
    if username:
        citizen += f" (@{esc(username)})"
    origin = "komentar kanal" if from_comment else "chat pribadi"
    return (
        f"{CARD_ICONS[state]} <b>Tiket #{ticket_id}</b> · {esc(kind)} · {esc(when)} WITA\n"
        f"👤 {citizen} · {origin}"
    )


def card_suggestion(
    *,
    position: int,
    total: int,
    confidence: int,
    entry_id: str,
    source: str | None,
    answer_html: str,
) -> str:
    """``answer_html`` is already escaped (and shortened to fit the card)."""
    origin = f"\n<i>Sumber: {esc(source)}</i>" if source else ""
    return (
        f"💡 <b>Saran {position}/{total}</b> (keyakinan {confidence}%) · "
        f"<code>{esc(entry_id)}</code>{origin}\n<blockquote>{answer_html}</blockquote>"
    )


def card_answered(
    *, who: str | None, when: str, response: str | None, forwarded_to: str | None, answer_html: str
) -> str:
    """``answer_html`` is already escaped (and shortened to fit the card)."""
    actor = esc(who or "petugas")
    verb = (
        f"Diteruskan ke {esc(forwarded_to)} oleh {actor}"
        if forwarded_to
        else f"Dijawab oleh {actor}"
    )
    took = f" · waktu tanggap {esc(response)}" if response else ""
    return f"✅ <b>{verb}</b> pada {esc(when)} WITA{took}\n<blockquote>{answer_html}</blockquote>"


def card_ignored(*, who: str | None, when: str, reason: str) -> str:
    return (
        f"🚫 <b>Diabaikan oleh {esc(who or 'petugas')}</b> ({esc(reason)}) pada {esc(when)} WITA"
    )


def response_time(*, wall: str, working: str) -> str:
    return f"{wall} (jam kerja {working})"


CARD_NO_SUGGESTION = (
    "💡 <i>Belum ada saran jawaban yang cukup yakin dari basis pengetahuan. "
    "Balas kartu ini untuk menjawab dengan teks sendiri.</i>"
)
CARD_REPLY_HINT = "↩️ Balas (reply) kartu ini untuk mengirim jawaban sendiri."
CARD_TRUNCATED = "… (dipotong; teks lengkap tersimpan di catatan)"

ALERT_NOT_ALLOWED = "Maaf, hanya petugas terdaftar yang dapat melakukan tindakan ini."
ALERT_STALE = "Tombol ini sudah tidak berlaku."
ALERT_ALREADY_CLOSED = "Tiket ini sudah ditangani."
ALERT_SENT = "Jawaban dikirim."
ALERT_NO_MORE_SUGGESTIONS = "Tidak ada saran lain."
ALERT_IGNORED = "Tiket ditutup tanpa jawaban."
ALERT_KIND_SET = "Jenis tiket diperbarui."
ALERT_EDIT_PROMPTED = "Silakan balas pesan petunjuk dengan teks jawaban."
ALERT_QUEUE_EMPTY = "Antrian kosong."
REPLY_NOT_A_TICKET = "Pesan yang Anda balas bukan kartu tiket, jadi tidak ada yang dikirim."
REPLY_EMPTY = "Jawaban harus berupa teks. Silakan balas lagi dengan teks."
REPLY_TOO_LONG = (
    "Jawaban terlalu panjang ({length} karakter; paling banyak {limit}). Silakan ringkas."
)
REPLY_SENT = "✅ Jawaban untuk tiket #{ticket_id} dikirim."
QUEUE_EMPTY = "✅ Antrian kosong: tidak ada tiket yang menunggu jawaban."
QUEUE_HEADER = "📥 Antrian: {count} tiket menunggu. Tiket tertua:"


def forwarded_answer(*, agency: str) -> str:
    return (
        f"Pertanyaan Anda berada dalam kewenangan {agency}. Kami telah meneruskannya ke "
        f"{agency} untuk ditindaklanjuti. Anda juga dapat menghubungi {agency} secara "
        "langsung melalui kanal resminya."
    )


TERUSKAN_USAGE = (
    "Cara meneruskan tiket ke Perangkat Daerah lain:\n"
    "/teruskan &lt;nomor tiket&gt; &lt;nama Perangkat Daerah&gt;\n"
    "Contoh: /teruskan 12 Dinas Kesehatan"
)
TERUSKAN_DONE = "↪️ Tiket #{ticket_id} diteruskan ke {agency}; warga sudah diberi tahu."


def edit_prompt(*, ticket_id: int, admin_mention: str, draft: str) -> str:
    return (
        f"✏️ {admin_mention}, ubah jawaban untuk tiket <b>#{ticket_id}</b>: salin teks di bawah, "
        "sesuaikan, lalu <b>balas (reply) pesan ini</b> dengan teks akhir.\n\n"
        f"<pre>{esc(draft)}</pre>"
    )


def mention(*, telegram_id: int, name: str) -> str:
    return f'<a href="tg://user?id={telegram_id}">{esc(name)}</a>'


def queue_summary(*, count: int, oldest_id: int | None, at: str) -> str:
    oldest = f" Tiket tertua: #{oldest_id}." if oldest_id is not None else ""
    return (
        f"📥 <b>Banyak pesan masuk.</b> {count} tiket baru menunggu tanpa kartu di grup ini "
        f"agar grup tidak banjir pesan.{oldest}\n"
        "Kerjakan satu per satu lewat /antrian di chat pribadi dengan bot.\n"
        f"<i>Diperbarui {esc(at)} WITA</i>"
    )


# ----------------------------------------------------------------------------- knowledge base
# (section: knowledge base)
KB_RELOAD_PROBLEMS = (
    "⚠️ Basis pengetahuan tidak dimuat ulang karena ada {count} masalah berikut. "
    "Saran jawaban tetap memakai versi terakhir yang valid.\n{problems}"
)
KB_GAPS_HEADER = "Pertanyaan yang belum terjawab basis pengetahuan (dikelompokkan):"
KB_GAP_LINE = "• {count}× {question} (tiket {tickets})"
FAQ_ALREADY_SAVED = "Entri {entry_id} sudah ada di FAQ."
FAQ_NOT_FOUND = "Entri FAQ {entry_id} tidak ditemukan atau sudah dinonaktifkan."
FAQ_NOT_SAVABLE = "Hanya jawaban yang ditulis atau diubah petugas yang dapat disimpan ke FAQ."
FAQ_RETIRED = "Entri FAQ {entry_id} dinonaktifkan. Perubahan tercatat atas nama Anda."
FAQ_UPDATED = "Jawaban entri FAQ {entry_id} diperbarui. Perubahan tercatat atas nama Anda."
FAQ_USAGE = (
    "Perintah FAQ:\n"
    "/faq — daftar entri yang disimpan dari jawaban petugas\n"
    "/faq celah — pertanyaan 30 hari terakhir yang belum ada saran jawabannya\n"
    "/faq lihat &lt;id&gt; — lihat satu entri\n"
    "/faq ubah &lt;id&gt; &lt;jawaban baru&gt; — ganti jawaban\n"
    "/faq hapus &lt;id&gt; — nonaktifkan entri\n"
    "/faq varian — entri yang punya variasi pertanyaan dari warga\n"
    "/faq varian &lt;id&gt; — semua variasi pertanyaan satu entri, bernomor\n"
    "/faq varian hapus &lt;id&gt; &lt;nomor&gt; — hapus satu variasi pertanyaan"
)
FAQ_GAPS_NONE = "Tidak ada celah FAQ dalam 30 hari terakhir: semua pertanyaan mendapat saran."
FAQ_LIST_EMPTY = (
    "Belum ada entri FAQ yang disimpan dari jawaban petugas. Basis pengetahuan berkas "
    "memuat {file_count} entri."
)


def faq_saved(*, entry_id: str) -> str:
    return f"Disimpan ke FAQ sebagai {entry_id}. Pertanyaan serupa akan mendapat saran ini."


def faq_list(*, lines: list[str], file_count: int) -> str:
    body = "\n".join(lines)
    return (
        f"<b>FAQ dari jawaban petugas</b> ({len(lines)} entri; berkas: {file_count} entri)\n\n"
        f"{body}\n\nLihat: /faq lihat &lt;id&gt;"
    )


def faq_entry(
    *,
    entry_id: str,
    question: str,
    answer: str,
    source: str | None,
    variant_lines: Sequence[str] = (),
    variant_total: int = 0,
) -> str:
    origin = f"\n<i>Sumber: {esc(source)}</i>" if source else ""
    text = (
        f"<b>{esc(entry_id)}</b>{origin}\n<b>Pertanyaan:</b> {esc(question)}\n"
        f"<b>Jawaban:</b>\n<blockquote>{esc(answer)}</blockquote>"
    )
    if variant_total:
        text += "\n\n" + faq_variants(entry_id=entry_id, lines=variant_lines, total=variant_total)
    return text


FAQ_VARIANTS_NONE = (
    "Entri {entry_id} belum punya variasi pertanyaan dari warga. Variasi tercatat otomatis "
    "setiap kali petugas mengirim saran entri ini."
)
FAQ_VARIANTS_OVERVIEW_NONE = (
    "Belum ada variasi pertanyaan dari warga. Variasi tercatat otomatis setiap kali petugas "
    "mengirim saran jawaban (✅ Kirim saran)."
)
FAQ_VARIANT_LINE = "{number}. {text} <i>(tiket #{ticket}, {who}, {when})</i>"
FAQ_VARIANT_OVERVIEW_LINE = "• <code>{entry_id}</code> — {count} variasi"
FAQ_VARIANT_NOT_FOUND = (
    "Variasi nomor {number} untuk entri {entry_id} tidak ada. Lihat nomornya dengan "
    "/faq varian {entry_id}."
)
FAQ_VARIANT_REMOVED = (
    "Variasi pertanyaan nomor {number} dihapus dari entri {entry_id}: “{text}”. "
    "Perubahan tercatat atas nama Anda."
)
FAQ_VARIANT_USAGE = "Cara menghapus variasi: /faq varian hapus &lt;id&gt; &lt;nomor&gt;"


def faq_variants(*, entry_id: str, lines: Sequence[str], total: int) -> str:
    """The learned wordings of an entry; ``lines`` may be the newest part of ``total``."""
    shown = (
        f" (ditampilkan {len(lines)} terbaru dari {total}; semua: /faq varian {esc(entry_id)})"
        if len(lines) < total
        else ""
    )
    body = "\n".join(lines)
    return (
        f"<b>Variasi pertanyaan dari warga</b>{shown}\n{body}\n"
        f"Hapus: /faq varian hapus {esc(entry_id)} &lt;nomor&gt;"
    )


def faq_variant_overview(*, lines: Sequence[str], total: int) -> str:
    body = "\n".join(lines)
    return (
        f"<b>Variasi pertanyaan dari warga</b> ({total} entri)\n{body}\n\n"
        "Lihat: /faq varian &lt;id&gt;"
    )


# Entries made by `python -m bot kb ingest` from a Standar Pelayanan document
# (PermenPANRB 15/2014 components). Per component: the label that heads the answer, and the
# questions an ordinary citizen asks about it; {service} is the service's name in lower case.
SP_COMPONENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "persyaratan": (
        "Persyaratan",
        (
            "Apa persyaratan {service}?",
            "Dokumen apa saja yang harus dibawa untuk {service}?",
            "Apa syarat mengurus {service}?",
        ),
    ),
    "prosedur": (
        "Sistem, mekanisme dan prosedur",
        (
            "Bagaimana prosedur {service}?",
            "Bagaimana cara mengurus {service}?",
            "Bagaimana alur pelayanan {service}?",
        ),
    ),
    "jangka-waktu": (
        "Jangka waktu penyelesaian",
        ("Berapa lama proses {service}?", "Berapa hari {service} selesai?"),
    ),
    "biaya": (
        "Biaya/tarif",
        ("Berapa biaya {service}?", "Apakah {service} gratis atau dipungut biaya?"),
    ),
    "produk": (
        "Produk pelayanan",
        ("Apa hasil dari {service}?", "Dokumen apa yang diterima dari {service}?"),
    ),
    "pengaduan": (
        "Penanganan pengaduan, saran dan masukan",
        (
            "Ke mana menyampaikan pengaduan tentang {service}?",
            "Bagaimana cara memberi saran atau mengadu soal {service}?",
        ),
    ),
    "waktu-pelayanan": (
        "Waktu pelayanan",
        ("Kapan jam pelayanan {service}?", "Hari apa saja {service} dilayani?"),
    ),
    "dasar-hukum": ("Dasar hukum", ("Apa dasar hukum {service}?",)),
    "sarana": (
        "Sarana, prasarana dan/atau fasilitas",
        ("Fasilitas apa yang tersedia untuk {service}?",),
    ),
    "kompetensi": ("Kompetensi pelaksana", ("Siapa petugas yang melayani {service}?",)),
    "pengawasan": ("Pengawasan internal", ("Bagaimana pengawasan {service}?",)),
    "jumlah-pelaksana": ("Jumlah pelaksana", ("Berapa petugas yang melayani {service}?",)),
    "jaminan": ("Jaminan pelayanan", ("Apa jaminan pelayanan {service}?",)),
    "keamanan": (
        "Jaminan keamanan dan keselamatan pelayanan",
        ("Apakah {service} aman dan data saya terlindungi?",),
    ),
    "evaluasi": ("Evaluasi kinerja pelaksana", ("Bagaimana kinerja {service} dievaluasi?",)),
}
SP_DEFAULT_SERVICE = "layanan ini"


def sp_answer(*, label: str, service: str, body: str) -> str:
    """The answer of a Standar Pelayanan entry: the component, its service, the passage."""
    return f"{label} {service}:\n{body}"


# ----------------------------------------------------------------------------- service levels
# (section: service levels)
NOTE_SAVED = "Catatan {kind} untuk laporan tahunan sudah disimpan. Terima kasih."
NOTE_EMPTY = (
    "Tuliskan isi catatan setelah perintah, misalnya: "
    "/{command} jaringan internet kantor sering terputus."
)
NOTE_KIND_LABELS = {"kendala": "kendala", "rekomendasi": "rekomendasi"}
NOT_FOR_ROLE = "Maaf, perintah ini hanya untuk {who}."
WHO_STAFF = "petugas dan pejabat"
WHO_OFFICIALS = "pejabat"
LAPORAN_PRIVATE_ONLY = "Silakan minta laporan lewat chat pribadi dengan bot."
LAPORAN_BAD_PERIOD = (
    "Periode <code>{given}</code> tidak dikenali. Contoh yang benar:\n"
    "/laporan 2026 — satu tahun\n"
    "/laporan 2026-11 — satu bulan\n"
    "/laporan 2026-Q3 — triwulan\n"
    "/laporan 2026-S1 — semester\n"
    "/laporan 2026-01-01..2026-06-30 — rentang tanggal\n"
    "Tanpa periode: tahun berjalan sampai hari ini."
)
LAPORAN_CAPTION_DOCX = "Laporan Pasal 15 (DOCX, untuk disunting dan ditandatangani) — {period}"
LAPORAN_CAPTION_PDF = "Laporan Pasal 15 (PDF, untuk dibaca di ponsel) — {period}"

# Timers swept by bot/scheduler.py. Placeholders that come from the record are escaped
# by the caller (bot/scheduler.py and bot/services/performance.py).
TIMER_REMINDER = (
    "⏰ Tiket <b>#{ticket_id}</b> ({kind}) mendekati batas waktu tanggapan pertama "
    "({due}). Mohon segera dijawab: balas kartunya atau buka /antrian."
)
TIMER_REMINDER_LATE = (
    "⏰ Tiket <b>#{ticket_id}</b> ({kind}) sudah melewati batas waktu tanggapan pertama "
    "({due}). Mohon segera dijawab: balas kartunya atau buka /antrian."
)
TIMER_ESCALATION = (
    "⚠️ Tiket <b>#{ticket_id}</b> ({kind}) belum mendapat tanggapan pertama dan melewati "
    "target {target} (dihitung dalam jam kerja).\n"
    "Dibuka {opened}; sudah menunggu {waited} (dihitung dalam jam kerja)."
)
TIMER_FOLLOWUP = (
    "Tiket <b>#{ticket_id}</b> Anda masih kami proses. Mohon maaf atas waktu tunggunya; "
    "petugas kami akan menjawab di sini secepatnya."
)

# Morning digest (admin group) and weekly summary (officials).
DIGEST_TITLE = "☀️ <b>Ringkasan pagi, {date}</b>"
DIGEST_BACKLOG = (
    "Tiket terbuka: <b>{open}</b>; melewati target tanggapan pertama: <b>{breached}</b>"
)
DIGEST_SINCE = (
    "<b>{period}</b>: masuk {received}, dijawab {answered}, median tanggapan pertama {median}"
)
DIGEST_NOTHING_OPEN = "✅ Tidak ada tiket yang menunggu jawaban."
WEEKLY_TITLE = "📈 <b>Ringkasan mingguan, {period}</b>"

# /kinerja (bot/handlers/performance.py).
PERF_TITLE = "📊 <b>Kinerja layanan: {period}</b>"
PERF_TOTALS = (
    "Tiket masuk: <b>{received}</b> (dijawab {answered}, ditutup tanpa jawaban {ignored}, "
    "masih terbuka {open})"
)
PERF_RESPONSE = "Tanggapan pertama (jam kerja): median {median}, persentil ke-90 {p90}"
PERF_WITHIN = "Dijawab dalam target {target}: {within} dari {answered} ({share})"
PERF_OWN_HEADING = "<b>Kinerja Anda</b>"
PERF_OWN_LINE = (
    "Dijawab {answered}; median {median}; dalam target {within} dari {answered} ({share})"
)
PERF_TEAM_HEADING = "<b>Seluruh tim</b>"
PERF_ADMINS_HEADING = "<b>Per petugas</b>"
PERF_ADMIN_LINE = "• {name}: dijawab {answered}, median {median}, dalam target {share}"
PERF_KINDS_HEADING = "<b>Per jenis</b>"
PERF_KIND_LINE = "• {kind}: masuk {received}, dijawab {answered}, terbuka {open}"
PERF_OLDEST_HEADING = "<b>Tiket terbuka tertua (saat ini)</b>"
PERF_OLDEST_LINE = "• #{ticket_id} {kind}, dibuka {opened}; menunggu {waited}"
PERF_WAITED_WORKING = "{duration} dalam jam kerja"
PERF_BACKLOG = "Saat ini terbuka {open}, melewati target tanggapan pertama {breached}."
PERF_NONE = "belum ada"
PERF_NOTE = (
    "<i>Tiket dihitung menurut tanggal masuk; waktu tanggapan dihitung dalam jam kerja "
    "sejak tiket dibuka.</i>"
)
PERF_MORE = "• … dan {count} lainnya"
PERF_PERIOD_TODAY = "hari ini, {date}"
PERF_PERIOD_WEEK = "minggu {start} – {end}"
PERF_PERIOD_MONTH = "{month} {year}"
PERF_PERIOD_YEAR = "tahun {year}"
PERF_PERIOD_DAYS = "{start} – {end}"
PERF_PERIOD_HELP = (
    "Periode tidak dikenali. Gunakan salah satu:\n"
    "• /kinerja — bulan ini\n"
    "• /kinerja hari — hari ini\n"
    "• /kinerja minggu — minggu ini (Senin–Minggu)\n"
    "• /kinerja 2026-11 — satu bulan\n"
    "• /kinerja 2026 — satu tahun"
)

# ----------------------------------------------------------------------------- reports
# (section: reports)
# Report engine (bot/reports): Pasal 15 ayat (3) Perbup Bone 22/2019.
MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTH_NAMES_SHORT = (
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
)  # fmt: skip
REPORT_PERIOD_YEAR = "Tahun {}"
REPORT_PERIOD_QUARTER = "Triwulan {} {}"
REPORT_PERIOD_SEMESTER = "Semester {} {}"
REPORT_PERIOD_RANGE = "{} s.d. {}"

MASK_EMAIL = "[email disamarkan]"
MASK_NIK = "[NIK disamarkan]"
MASK_PHONE = "[nomor telepon disamarkan]"
MASK_ACCOUNT = "[akun disamarkan]"
MASK_NUMBER = "[nomor disamarkan]"
MASK_NPWP = "[NPWP disamarkan]"
MASK_NAME = "[nama disamarkan]"

REPORT_TITLE = "LAPORAN LAYANAN INFORMASI MELALUI MEDIA SOSIAL"
REPORT_GOVERNMENT = "PEMERINTAH KABUPATEN BONE"
REPORT_PERIOD_LINE = "Periode: {}"
REPORT_COMPILED_LINE = "Disusun pada {}"
REPORT_LEGAL_BASIS = (
    "Disusun berdasarkan Pasal 15 Peraturan Bupati Bone Nomor 22 Tahun 2019 tentang "
    "Pedoman Pengelolaan Media Sosial Pemerintah Daerah Kabupaten Bone."
)
REPORT_ADDRESSEE = (
    "Kepada Yth. Bupati Bone melalui Dinas Komunikasi, Informatika dan Persandian "
    "Kabupaten Bone (Pasal 15 ayat (2))"
)
REPORT_SUMMARY_HEADING = "Ringkasan"
REPORT_SECTION_HEADINGS = (
    "A. Gambaran Umum Kebijakan Pelayanan Informasi melalui Media Sosial",
    "B. Jumlah Khalayak",
    "C. Pembahasan mengenai Isi Pesan",
    "D. Komentar tentang Isi Pesan",
    "E. Jumlah Sharing dan Pesan yang Dikirimkan",
    "F. Jumlah Pesan yang Diteruskan",
    "G. Kendala Internal dan Eksternal dalam Pelayanan Informasi",
    "H. Rekomendasi dan Rencana Tindak Lanjut untuk Meningkatkan Kualitas Pelayanan "
    "Informasi melalui Media Sosial",
)
REPORT_METHOD_HEADING = "Catatan Metode"
REPORT_METHOD_NOTES = (
    "Waktu tanggapan pertama dihitung dalam menit jam kerja (di luar hari libur dan cuti "
    "bersama). Median adalah nilai tengah (rata-rata dua nilai tengah bila jumlahnya genap), "
    "sama dengan /kinerja; persentil ke-90 memakai peringkat terdekat.",
    "Warga yang dilayani adalah warga yang membuka sedikitnya satu tiket dalam periode; "
    "warga baru adalah yang pertama kali tercatat dalam periode.",
    "Topik adalah tag utama (pertama) entri FAQ yang dipakai untuk menjawab, atau saran "
    "teratas yang meyakinkan; setiap tiket dihitung satu kali.",
    "Celah FAQ dikelompokkan dari semua pertanyaan tanpa saran yang meyakinkan selama "
    "periode, menurut kemiripan kata; kelompok kecil dijumlahkan dalam satu baris.",
    "Nada komentar ditentukan dari kata-kata penanda (misalnya terima kasih, mohon, "
    "kurang jelas, tanda tanya); kritik didahulukan bila ada beberapa penanda.",
    "Pesan keluar kepada warga mencakup jawaban, tanda terima, tindak lanjut, sapaan, dan "
    "siaran; kartu tiket, pengingat, dan rekap untuk petugas dihitung terpisah sebagai "
    "pesan internal.",
    "Jam istirahat pada hari kerja dihitung terpisah dari di luar jam kerja.",
    "Celah FAQ adalah pertanyaan yang tidak mendapat saran jawaban yang meyakinkan (tidak "
    "termasuk komentar, spam, dan duplikat).",
    "Semua kutipan pesan dan catatan telah disamarkan: nama dan nama akun yang dikenal, "
    "perkenalan diri, NIK, nomor KK, NPWP, nomor telepon, alamat email, dan tautan t.me "
    "tidak ditampilkan; identitas warga tidak dimuat dalam laporan.",
)
REPORT_SIGN_PLACE_DATE = "{place}, {day}"
REPORT_SIGN_POSITION = "Kepala {}"
REPORT_SIGN_NAME_LINE = "(______________________________)"
REPORT_SIGN_NIP = "NIP. ____________________________"

REPORT_COL_ITEM = "Uraian"
REPORT_COL_COUNT = "Jumlah"
REPORT_COL_VALUE = "Nilai"
REPORT_COL_MONTH = "Bulan"
REPORT_COL_KIND = "Jenis"
REPORT_COL_TOPIC = "Topik"
REPORT_COL_QUESTION = "Pertanyaan"
REPORT_COL_POST = "Unggahan kanal"
REPORT_COL_POSTED = "Tanggal"
REPORT_COL_COMMENTS = "Komentar"
REPORT_COL_PLATFORM = "Platform"
REPORT_COL_FOLLOWERS = "Pengikut"
REPORT_COL_POSTS = "Unggahan"
REPORT_COL_SHARES = "Dibagikan"
REPORT_COL_PURPOSE = "Jenis pesan keluar"
REPORT_COL_DESTINATION = "Perangkat Daerah tujuan"
REPORT_COL_REASON = "Alasan"
REPORT_COL_DATE = "Tanggal"
REPORT_COL_NOTE = "Catatan"
REPORT_COL_MEMBERS = "Anggota kanal"
REPORT_COL_MONTHS_COVERED = "Bulan tercakup"
REPORT_COL_MESSAGES_IN = "Pesan masuk"
REPORT_COL_TICKETS = "Tiket"
REPORT_COL_MEDIAN = "Median tanggapan (menit kerja)"

REPORT_LABEL_TICKETS_IN = "Tiket (utas pertanyaan) masuk"
REPORT_LABEL_MESSAGES_IN = "Pesan masuk dari warga"
REPORT_LABEL_ANSWERED = "Tiket dijawab"
REPORT_LABEL_IGNORED = "Tiket ditutup tanpa jawaban"
REPORT_LABEL_OPEN = "Tiket masih terbuka"
REPORT_LABEL_MEDIAN = "Median waktu tanggapan pertama (menit kerja)"
REPORT_LABEL_P90 = "Persentil ke-90 waktu tanggapan pertama (menit kerja)"
REPORT_LABEL_TARGET = "Target tanggapan pertama (menit kerja)"
REPORT_LABEL_WITHIN_TARGET = "Tanggapan pertama dalam target (tiket, persen)"
REPORT_LABEL_SOP = "Standar Operasional Prosedur"
REPORT_LABEL_ACCOUNTS = "Akun resmi"
REPORT_LABEL_CHANNEL = "Kanal Telegram resmi (ID)"
REPORT_LABEL_WORKING_HOURS = "Jam layanan"
REPORT_LABEL_RESOLUTION = "Batas waktu penyelesaian (hari kerja)"
REPORT_LABEL_SERVED = "Warga yang dilayani"
REPORT_LABEL_NEW = "Warga baru"
REPORT_LABEL_RETURNING = "Warga yang pernah dilayani sebelumnya"
REPORT_LABEL_MEMBERS_FIRST = "Anggota kanal awal periode ({})"
REPORT_LABEL_MEMBERS_LAST = "Anggota kanal akhir periode ({})"
REPORT_LABEL_MEMBERS_MIN = "Anggota kanal terendah"
REPORT_LABEL_MEMBERS_MAX = "Anggota kanal tertinggi"
REPORT_LABEL_MEMBERS_DAYS = "Hari dengan catatan jumlah anggota"
REPORT_LABEL_UNMAPPED = "Tiket tanpa topik FAQ"
REPORT_LABEL_FAQ_GAPS = "Celah FAQ (pertanyaan tanpa saran jawaban yang meyakinkan)"
REPORT_LABEL_COMMENT_TICKETS = "Komentar pada unggahan kanal"
REPORT_LABEL_POSTS_WITH_COMMENTS = "Unggahan yang dikomentari"
REPORT_LABEL_POSTS_PUBLISHED = "Unggahan di kanal resmi"
REPORT_LABEL_TELEGRAM_SHARES = "Unggahan kanal Telegram dibagikan ulang (data impor)"
REPORT_LABEL_TICKETS_FORWARDED = "Tiket diteruskan ke Perangkat Daerah lain"
REPORT_LABEL_CITIZEN_FORWARDED = "Pesan terusan (forward) yang dikirim warga"
REPORT_LABEL_MISSED = "Tanggapan pertama melewati target (tiket, persen)"
REPORT_LABEL_AFTER_HOURS = "Tiket masuk di luar jam kerja (tiket, persen)"
REPORT_LABEL_OVERDUE = "Tiket terbuka melewati batas waktu penyelesaian (saat disusun)"
REPORT_LABEL_DOWNTIME = "Gangguan layanan (downtime)"
REPORT_NOT_RECORDED = "tidak tercatat"
REPORT_OTHER_TOPICS = "Topik lainnya ({n} topik)"
REPORT_NONE = "Tidak ada."
REPORT_NO_TAG = "Tanpa topik FAQ"
REPORT_POST_WITHOUT_TEXT = "(unggahan tanpa teks)"

REPORT_KIND_LABELS = {
    "pertanyaan": "Pertanyaan",
    "pengaduan": "Pengaduan",
    "aspirasi": "Aspirasi",
    "permintaan_informasi": "Permintaan informasi",
    "komentar": "Komentar",
}
REPORT_CLOSE_REASON_LABELS = {
    "dijawab": "Dijawab",
    "spam": "Spam",
    "duplikat": "Duplikat",
    "bukan_wewenang": "Bukan wewenang",
    "lainnya": "Tanpa alasan tercatat",
}
REPORT_PURPOSE_LABELS = {
    "ack": "Tanda terima",
    "greeting": "Sapaan dan informasi layanan",
    "hint": "Petunjuk kepada warga",
    "broadcast": "Siaran",
    "forward_notice": "Pemberitahuan penerusan",
    "card_edit": "Pembaruan kartu tiket",
    "card_markup": "Pembaruan tombol kartu",
    "queue": "Antrian admin",
    "queue_card": "Kartu antrian admin",
    "queue_summary_edit": "Ringkasan antrian admin",
    "escalation": "Eskalasi ke pejabat",
    "weekly_summary": "Rekap mingguan",
    "notice": "Pemberitahuan untuk petugas",
    "attachment": "Lampiran untuk admin",
    "callback_answer": "Balasan tombol",
    "edit_prompt": "Draf ubahan jawaban",
    "kb_problems": "Peringatan basis pengetahuan",
    "card": "Kartu tiket untuk admin",
    "answer": "Jawaban",
    "followup": "Tindak lanjut",
    "reminder": "Pengingat",
    "digest": "Rekap berkala",
    "report": "Laporan",
    "lainnya": "Lainnya",
}

REPORT_TEXT_INTRO_B = (
    "Khalayak layanan adalah warga yang menghubungi layanan dan anggota kanal resmi."
)
REPORT_TEXT_NO_PLATFORMS = "Belum ada data platform lain yang diimpor untuk periode ini."
REPORT_TEXT_NO_SNAPSHOTS = "Jumlah anggota kanal belum tercatat untuk periode ini."
REPORT_TEXT_TELEGRAM_SHARES = (
    "Bot API Telegram tidak menyediakan jumlah berapa kali unggahan kanal dibagikan; "
    "angka berikut hanya berasal dari data yang diimpor secara manual."
)
REPORT_TEXT_TELEGRAM_SHARES_NONE = (
    "Bot API Telegram tidak menyediakan jumlah berapa kali unggahan kanal dibagikan, dan "
    "belum ada angka yang diimpor secara manual; jumlah ini tidak tercatat."
)
REPORT_TEXT_DOWNTIME_RECORDED = (
    "Gangguan layanan dihitung dari catatan detak (heartbeat) bot setiap menit: jeda lebih "
    "dari tiga menit tanpa bot berjalan dihitung sebagai gangguan, dan lamanya dihitung "
    "dalam jam kerja."
)
REPORT_DOWNTIME_VALUE = "{outages} kali, {minutes} menit jam kerja"


REPORT_CHART_NO_DATA = "Belum ada data"
REPORT_CHART_MESSAGES = "Pesan masuk per bulan"
REPORT_CHART_RESPONSE = "Median waktu tanggapan pertama per bulan"
REPORT_CHART_RESPONSE_AXIS = "menit kerja"
REPORT_CHART_TARGET = "Target ({} menit)"
REPORT_CHART_MEDIAN = "Median"
REPORT_CHART_KINDS = "Tiket menurut jenis"
REPORT_CHART_TOPICS = "Tiket menurut topik"
REPORT_CHART_COUNT_AXIS = "jumlah"
REPORT_RESOLUTION_ITEM = "{kind}: {days} hari"
REPORT_SUMMARY_MESSAGE = (
    "📊 <b>Laporan layanan informasi media sosial</b>\n"
    "Periode: {period}\n"
    "Tiket masuk: {tickets}\n"
    "Dijawab: {answered} (masih terbuka: {open})\n"
    "Median tanggapan pertama: {median} menit kerja\n"
    "Persentil ke-90: {p90} menit kerja\n"
    "Dalam target {target} menit: {within}"
)
REPORT_PERIOD_TO_DATE = "{label} (s.d. {day})"
REPORT_ADDRESSEE_DIRECT = "Kepada Yth. Bupati Bone (Pasal 15 ayat (2))"
REPORT_TABLE_CAPTION = "Tabel {n}. {caption}"
REPORT_FIGURE_CAPTION = "Gambar {n}. {caption}"
REPORT_SOURCE_RECORD = "Sumber: rekaman layanan bot (diolah)."
REPORT_SOURCE_SETTINGS = "Sumber: pengaturan layanan dan SOP."
REPORT_SOURCE_IMPORT = "Sumber: data bulanan platform lain yang diimpor petugas."
REPORT_SOURCE_NOTES = "Sumber: catatan petugas (/kendala, /rekomendasi), disamarkan."
REPORT_SOURCE_PLANS = "Sumber: diturunkan dari tabel-tabel laporan ini dan catatan petugas."
REPORT_NONE_FOR = "Tidak ada data untuk {what} pada periode ini."
REPORT_NOT_SET = "belum diatur"
REPORT_COUNT_SHARE = "{n} ({share})"
REPORT_MONTHS_COVERED = "{span} ({n} bulan)"
REPORT_SOP_WITH_DECREE = "{sop}, ditetapkan dengan {decree}"
REPORT_ACCOUNTS_LISTED = "{n} akun resmi"
REPORT_ACCOUNTS_UNLISTED = "akun resmi yang belum dicantumkan dalam pengaturan"

REPORT_INTRO_HEADING = "Pendahuluan"
REPORT_INTRO_BACKGROUND_HEADING = "Latar Belakang"
REPORT_INTRO_BACKGROUND = (
    "Pasal 15 ayat (1) Peraturan Bupati Bone Nomor 22 Tahun 2019 mewajibkan setiap "
    "Perangkat Daerah membuat laporan layanan informasi melalui media sosial paling sedikit "
    "satu kali dalam setahun, yang disampaikan kepada Bupati melalui Dinas (ayat (2)). "
    "Laporan ini memuat hal-hal yang diminta ayat (3) huruf a sampai dengan h."
)
REPORT_INTRO_PURPOSE_HEADING = "Maksud dan Tujuan"
REPORT_INTRO_PURPOSE = (
    "Laporan ini dimaksudkan sebagai bahan evaluasi Bupati melalui Dinas sesuai Pasal 16, "
    "dengan tujuan menggambarkan pelaksanaan layanan, kendala yang dihadapi, serta rencana "
    "tindak lanjut untuk meningkatkan kualitas layanan pada periode berikutnya."
)
REPORT_INTRO_SCOPE_HEADING = "Ruang Lingkup dan Sumber Data"
REPORT_INTRO_SCOPE = (
    "Laporan mencakup layanan informasi {agency} melalui bot dan kanal Telegram resmi "
    "sejak {start} sampai dengan {end}, disusun pada {compiled}."
)
REPORT_INTRO_NOT_ENDED = (
    "Periode laporan belum berakhir pada tanggal penyusunan, sehingga angka-angka di "
    "dalamnya bersifat sementara."
)
REPORT_INTRO_SOURCES = (
    "Angka diambil dari rekaman percakapan layanan (setiap pesan masuk dan keluar tercatat), "
    "pengaturan layanan, data bulanan platform lain yang diimpor petugas, dan catatan "
    "petugas. Identitas warga tidak dimuat; kutipan pesan disamarkan."
)
REPORT_NARRATIVE_SUMMARY = (
    "Selama periode ini layanan menerima {tickets} tiket; {answered} tiket ({answered_share}) "
    "telah dijawab dan {open} tiket masih terbuka. Separuh tiket mendapat tanggapan pertama "
    "dalam {median} menit kerja atau kurang, dan {within} tanggapan berada dalam target "
    "{target} menit kerja."
)
REPORT_CAPTION_SUMMARY = "Ringkasan angka layanan"

REPORT_NARRATIVE_A = (
    "{agency} melayani warga melalui {accounts}. Layanan dibuka pada jam kerja ({hours}); "
    "tanggapan pertama ditargetkan paling lama {target} menit kerja, dan penyelesaian "
    "dibatasi menurut jenis pesan."
)
REPORT_CAPTION_POLICY = "Kebijakan dan standar layanan"

REPORT_NARRATIVE_B = (
    "Sebanyak {served} warga menghubungi layanan selama periode ini; {new} di antaranya "
    "({new_share}) baru pertama kali, dan {returning} pernah dilayani sebelumnya."
)
REPORT_NARRATIVE_B_MEMBERS = (
    "Anggota kanal resmi berjumlah {first} pada {first_day} dan {last} pada {last_day} ({change})."
)
REPORT_NARRATIVE_B_PLATFORMS = (
    "Jumlah pengikut di {n} platform lain berasal dari data yang diimpor petugas."
)
REPORT_CHANGE_UP = "naik {share}"
REPORT_CHANGE_DOWN = "turun {share}"
REPORT_CHANGE_NONE = "tetap"
REPORT_CHANGE_FROM_ZERO = "bertambah dari nol"
REPORT_CAPTION_AUDIENCE = "Khalayak layanan"
REPORT_CAPTION_MEMBERS_BY_MONTH = "Jumlah anggota kanal pada akhir setiap bulan"
REPORT_CAPTION_FOLLOWERS = "Pengikut di platform lain (angka terakhir yang diimpor)"

REPORT_NARRATIVE_C = (
    "Warga mengirim {messages} pesan yang terhimpun dalam {tickets} tiket; jenis terbanyak "
    "adalah {kind} ({kind_share})."
)
REPORT_NARRATIVE_C_TOPIC = (
    "Topik yang paling sering ditanyakan adalah {topic} ({n} tiket); {unmapped} tiket "
    "pertanyaan tidak dapat dikaitkan dengan topik FAQ."
)
REPORT_NARRATIVE_C_GAPS = (
    "Sebanyak {gaps} pertanyaan ({gap_share} dari tiket selain komentar) tidak mendapat "
    "saran jawaban yang meyakinkan dari FAQ; pengelompokannya ada pada tabel celah FAQ."
)
REPORT_NARRATIVE_C_CLOSE = (
    "{n} kelompok celah mirip dengan pertanyaan FAQ yang sudah ada: jawabannya tersedia, "
    "tetapi warga merumuskan pertanyaannya dengan cara lain, sehingga FAQ perlu ditambah "
    "rumusan pertanyaan."
)
REPORT_CAPTION_CONTENT = "Pesan dan tiket masuk"
REPORT_CAPTION_BY_KIND = "Tiket menurut jenis"
REPORT_CAPTION_BY_TOPIC = "Tiket pertanyaan menurut topik FAQ"
REPORT_CAPTION_TOP_ENTRIES = "Pertanyaan FAQ yang paling sering dipakai untuk menjawab"
REPORT_CAPTION_GAPS = "Celah FAQ menurut kelompok pertanyaan"
REPORT_TEXT_GAP_TOPICS = (
    "Celah FAQ dikelompokkan dari semua pertanyaan tanpa saran jawaban yang meyakinkan "
    "selama periode; setiap kelompok diwakili satu contoh yang disamarkan."
)
REPORT_COL_GAP_EXAMPLE = "Contoh pertanyaan (disamarkan)"
REPORT_COL_CLOSE_ENTRY = "Pertanyaan FAQ yang mirip"
REPORT_NO_CLOSE_ENTRY = "belum ada"
REPORT_GAP_OTHER = "Kelompok lain dan pesan tanpa teks"
REPORT_TOTAL_TICKETS = "Jumlah tiket"
REPORT_TOTAL_MISSED = "Jumlah tanggapan pertama melewati target"
REPORT_TOTAL_WITH_TOPIC = "Jumlah tiket bertopik"

REPORT_NARRATIVE_D = "Unggahan kanal resmi menerima {comments} komentar pada {posts} unggahan."
REPORT_NARRATIVE_D_TONE = "Menurut nadanya, komentar terdiri atas {tones}."
REPORT_TONE_PART = "{label} {share}"
REPORT_NARRATIVE_D_IMPORTED = (
    "Di platform lain tercatat {n} komentar pada {platforms} platform (data impor)."
)
REPORT_TONE_LABELS = {
    "kritik": "Kritik atau keluhan",
    "pertanyaan": "Pertanyaan",
    "permintaan": "Permintaan atau saran",
    "dukungan": "Dukungan atau terima kasih",
    "lainnya": "Lainnya",
}
REPORT_CAPTION_COMMENTS = "Komentar pada kanal resmi"
REPORT_CAPTION_BY_POST = "Unggahan dengan komentar terbanyak"
REPORT_CAPTION_TONE = "Komentar menurut nada, dengan satu contoh (disamarkan)"
REPORT_CAPTION_COMMENT_TOPICS = (
    "Komentar bernada pertanyaan, permintaan, atau kritik menurut topik"
)
REPORT_CAPTION_IMPORTED_COMMENTS = "Komentar di platform lain (data impor)"
REPORT_TEXT_COMMENT_TOPICS = (
    "Topik hanya dihitung untuk komentar yang bertanya, meminta, atau mengkritik; ucapan "
    "terima kasih dan dukungan tidak dimasukkan ke topik FAQ."
)
REPORT_TOTAL_COMMENTS_WITH_TOPIC = "Jumlah komentar bertopik"
REPORT_COL_TONE = "Nada"
REPORT_COL_EXAMPLE = "Contoh"

REPORT_NARRATIVE_E = (
    "Layanan mengirim {public} pesan kepada warga dan menerbitkan {posts} unggahan di kanal "
    "resmi. Selain itu tercatat {internal} pesan internal (kartu tiket untuk admin, "
    "pengingat, rekap) yang tidak sampai ke warga dan tidak dihitung sebagai pesan keluar."
)
REPORT_NARRATIVE_E_ANSWERS = (
    "Jumlah jawaban yang dikirim ({answers}) dapat berbeda dari tiket dijawab ({answered}): "
    "satu tiket dapat menerima lebih dari satu jawaban, dan jawaban yang dikirim dalam "
    "periode ini dapat menjawab tiket dari periode sebelumnya."
)
REPORT_CAPTION_SHARING = "Pesan kepada warga dan unggahan"
REPORT_CAPTION_PUBLIC_PURPOSES = "Pesan kepada warga menurut jenis"
REPORT_CAPTION_INTERNAL_PURPOSES = "Pesan internal petugas menurut jenis (tidak sampai ke warga)"
REPORT_CAPTION_IMPORTED_SHARES = "Jumlah dibagikan (sharing) menurut platform (data impor)"
REPORT_CAPTION_IMPORTED_POSTS = "Unggahan di platform lain (data impor)"
REPORT_LABEL_MESSAGES_TO_PUBLIC = "Pesan keluar kepada warga"
REPORT_LABEL_INTERNAL_MESSAGES = "Pesan internal petugas"

REPORT_NARRATIVE_F = (
    "{forwarded} tiket diteruskan ke {destinations} Perangkat Daerah lain karena bukan "
    "wewenang layanan ini, dan warga mengirim {citizen} pesan terusan (forward) dari sumber "
    "lain."
)
REPORT_NARRATIVE_F_TOP = "Tujuan terbanyak adalah {dest} ({n} tiket)."
REPORT_CAPTION_FORWARDING = "Pesan yang diteruskan"
REPORT_CAPTION_DESTINATIONS = "Tiket diteruskan menurut Perangkat Daerah tujuan"

REPORT_G_INTERNAL_HEADING = "Kendala Internal"
REPORT_G_EXTERNAL_HEADING = "Kendala Eksternal"
REPORT_NARRATIVE_G_INTERNAL = (
    "Dari {measured} tanggapan pertama yang terukur, {missed} ({missed_share}) melewati "
    "target {target} menit kerja, dan {overdue} tiket terbuka telah melewati batas waktu "
    "penyelesaian saat laporan disusun."
)
REPORT_NARRATIVE_G_DOWNTIME = "Gangguan bot yang tercatat: {value}."
REPORT_NARRATIVE_G_NO_DOWNTIME = (
    "Gangguan bot belum tercatat otomatis pada periode ini; gangguan yang dialami petugas "
    "tercantum pada catatan kendala."
)
REPORT_NARRATIVE_G_EXTERNAL = (
    "Warga menulis di luar jam kerja sebanyak {after} tiket dan pada jam istirahat sebanyak "
    "{breaks} tiket; pesan ini baru dapat dijawab saat layanan buka. {outside} tiket berada "
    "di luar wewenang layanan, dan {spam} pesan adalah spam atau duplikat."
)
REPORT_CAPTION_INTERNAL = "Kendala internal"
REPORT_CAPTION_EXTERNAL = "Kendala eksternal"
REPORT_CAPTION_MISSED_BY_KIND = "Tanggapan pertama melewati target menurut jenis"
REPORT_CAPTION_NOTES_INTERNAL = "Kendala internal yang dicatat petugas"
REPORT_CAPTION_NOTES_EXTERNAL = "Kendala eksternal yang dicatat petugas"
REPORT_CAPTION_IGNORED = "Tiket ditutup tanpa jawaban menurut alasan"
REPORT_COL_CONSTRAINT = "Kendala"
REPORT_LABEL_BREAKS = "Tiket masuk pada jam istirahat (tiket, persen)"
REPORT_LABEL_FORWARDED_OUTSIDE = "Tiket di luar wewenang yang diteruskan"
REPORT_LABEL_NOT_AUTHORITY = "Tiket di luar wewenang yang ditutup"
REPORT_LABEL_SPAM = "Spam dan duplikat"
REPORT_LABEL_NOTES_INTERNAL = "Catatan kendala internal dari petugas"
REPORT_LABEL_NOTES_EXTERNAL = "Catatan kendala eksternal dari petugas"
REPORT_DOWNTIME_NOT_RECORDED = "tidak tercatat otomatis (lihat catatan petugas)"

REPORT_NARRATIVE_H = (
    "Berdasarkan angka pada bagian A sampai dengan G, disusun {n} rencana tindak lanjut "
    "berikut, masing-masing dengan penanggung jawab dan batas waktunya."
)
REPORT_CAPTION_PLANS = "Rencana tindak lanjut"
REPORT_COL_NUMBER = "No."
REPORT_COL_PLAN = "Rencana tindak lanjut"
REPORT_COL_OWNER = "Penanggung jawab"
REPORT_COL_DUE = "Waktu"
REPORT_COL_BASIS = "Dasar"
REPORT_DUE_BY = "s.d. {day}"
REPORT_DUE_NOTE = "Dibahas pada evaluasi (Pasal 16)"
REPORT_OWNER_ADMINS = "Admin media sosial"
REPORT_OWNER_HEAD = "Kepala Bidang pengelola layanan"
REPORT_OWNER_KB = "Pengelola FAQ (basis pengetahuan)"
REPORT_OWNER_TECH = "Pengelola teknis bot"
REPORT_OWNER_NOTE = "Diusulkan petugas"
REPORT_BASIS_NOTE = "Catatan petugas, {day}"
REPORT_PLAN_OVERDUE = "Menyelesaikan tiket terbuka yang telah melewati batas waktu penyelesaian"
REPORT_BASIS_OVERDUE = "{n} tiket terbuka melewati batas waktu (Tabel kendala internal)"
REPORT_PLAN_FAQ_GAPS = (
    "Menambah entri FAQ dan rumusan pertanyaan untuk kelompok celah FAQ terbesar"
)
REPORT_BASIS_FAQ_GAPS = "{n} pertanyaan tanpa saran jawaban yang meyakinkan (bagian C)"
REPORT_PLAN_SLOW_KIND = "Mempercepat tanggapan pertama untuk {kind}"
REPORT_BASIS_SLOW_KIND = "baru {share} ditanggapi dalam target {minutes} menit kerja"
REPORT_PLAN_AFTER_HOURS = "Menyusun jadwal piket atau pesan otomatis yang menjelaskan jam layanan"
REPORT_BASIS_AFTER_HOURS = "{share} tiket masuk di luar jam kerja (istirahat tidak termasuk)"
REPORT_PLAN_FORWARDED = "Memperkuat koordinasi dengan {dest}"
REPORT_BASIS_FORWARDED = "menerima tiket terusan terbanyak ({n} tiket, bagian F)"
REPORT_PLAN_NO_SNAPSHOTS = "Mengaktifkan pencatatan harian jumlah anggota kanal resmi"
REPORT_BASIS_NO_SNAPSHOTS = "jumlah anggota kanal tidak tercatat (bagian B)"
REPORT_PLAN_NO_PLATFORMS = (
    "Mengimpor data bulanan platform lain (pengikut, unggahan, komentar, dibagikan)"
)
REPORT_BASIS_NO_PLATFORMS = "belum ada data platform lain (bagian B dan E)"
REPORT_PLAN_NO_DOWNTIME = "Menjalankan bot dengan pencatatan detak agar gangguan terukur"
REPORT_BASIS_NO_DOWNTIME = "gangguan bot tidak tercatat otomatis (bagian G)"
REPORT_PLAN_KEEP_GOING = "Mempertahankan kinerja layanan"

REPORT_MONTHLY_HEADING = "Rekap Bulanan"
REPORT_CAPTION_MONTHLY = "Rekap bulanan pesan, tiket, dan median tanggapan pertama"
REPORT_CLOSING_HEADING = "Penutup"
REPORT_CLOSING_TEXT = (
    "Demikian laporan layanan informasi melalui media sosial periode {period} ini disusun. "
    "Selama periode tersebut layanan menangani {tickets} tiket dengan {within} tanggapan "
    "pertama dalam target, dan {plans} rencana tindak lanjut diusulkan pada bagian H."
)
REPORT_CLOSING_EVALUATION = (
    "Laporan ini disampaikan sebagai bahan evaluasi sesuai Pasal 16 Peraturan Bupati Bone "
    "Nomor 22 Tahun 2019. Atas perhatian Bapak Bupati, kami sampaikan terima kasih."
)
REPORT_SIGN_RANK_LINE = "{rank}"
REPORT_MD_FIGURE = "*{title} (gambar tersedia pada berkas DOCX dan PDF)*"
REPORT_PAGE_OF = "Halaman {page} dari {pages}"
REPORT_PAGE_WORD = "Halaman "
REPORT_PAGE_OF_WORD = " dari "
REPORT_DOC_SUBJECT = "Laporan Pasal 15 ayat (3) Perbup Bone 22/2019"
REPORT_DOC_KEYWORDS = "laporan, media sosial, Pasal 15, Perbup Bone 22/2019"
REPORT_SIGN_NIP_LINE = "NIP. {nip}"
REPORT_TOPIC_LABELS = {
    "aspirasi": "Aspirasi warga",
    "data-pribadi": "Perlindungan data pribadi",
    "hoaks": "Hoaks dan klarifikasi informasi",
    "infrastruktur": "Infrastruktur",
    "jam-layanan": "Jam layanan",
    "kebencanaan": "Kebencanaan",
    "kepegawaian": "Kepegawaian",
    "kependudukan": "Administrasi kependudukan",
    "kesehatan": "Kesehatan",
    "kontak": "Kontak perangkat daerah",
    "lingkungan": "Lingkungan hidup",
    "pajak": "Pajak daerah",
    "pendidikan": "Pendidikan",
    "pengaduan": "Pengaduan layanan",
    "perbup": "Pengelolaan media sosial (Perbup 22/2019)",
    "perbup-bone-22-2019": "Isi Perbup Bone 22/2019",
    "perizinan": "Perizinan",
    "ppid": "Keterbukaan informasi publik (PPID)",
    "sosial": "Bantuan sosial",
}
# (end of section: reports)

# --- outreach (issue 12): posts by Pasal 10 and dissemination to subscribers -------------
SUBSCRIBED = (
    "✅ Terima kasih, Bapak/Ibu sudah berlangganan informasi resmi Pemerintah Kabupaten "
    "Bone. Kirim /berhenti kapan saja untuk berhenti berlangganan."
)
ALREADY_SUBSCRIBED = (
    "Bapak/Ibu sudah terdaftar sebagai pelanggan informasi. Kirim /berhenti untuk berhenti."
)
UNSUBSCRIBED = (
    "Langganan informasi Bapak/Ibu telah dihentikan. Kirim /langganan bila ingin "
    "berlangganan kembali."
)
NOT_SUBSCRIBED = "Bapak/Ibu belum berlangganan. Kirim /langganan untuk berlangganan informasi."
SIARAN_USAGE = (
    "Cara mengirim siaran: <code>/siaran isi pesan</code>, atau balas (reply) pesan yang "
    "ingin disiarkan dengan <code>/siaran</code>."
)
SIARAN_NO_SUBSCRIBERS = "Belum ada pelanggan informasi yang aktif; siaran tidak dikirim."
BROADCAST_HEADER = "📢 <b>Informasi Pemerintah Kabupaten Bone</b>"
BROADCAST_FOOTER = "<i>Kirim /berhenti untuk berhenti berlangganan.</i>"


def broadcast_message(*, body_html: str) -> str:
    """``body_html`` is already escaped."""
    return f"{BROADCAST_HEADER}\n\n{body_html}\n\n{BROADCAST_FOOTER}"


def broadcast_progress(
    *, broadcast_id: int, total: int, sent: int, blocked: int, failed: int, percent: int
) -> str:
    lines = [
        f"📢 Siaran #{broadcast_id}: {percent}% ({sent + blocked + failed} dari {total})",
        f"✅ Terkirim: {sent}",
        f"⛔ Memblokir bot: {blocked}",
        f"⚠️ Gagal: {failed}",
    ]
    return "\n".join(lines)


BROADCAST_DONE = "✅ Siaran selesai."
BROADCAST_RUNNING = "⏳ Sedang dikirim sesuai batas Telegram; kartu ini diperbarui otomatis."
POST_CHOOSE_CATEGORY = (
    "📝 Postingan baru untuk kanal resmi. Pilih kategori pesan (Pasal 10 Perbup Bone 22/2019):"
)
POST_WRITE = (
    "Kategori: <b>{label}</b>\nSilakan tulis isi postingan, atau teruskan (forward) pesan yang "
    "ingin diposting."
)
POST_TEXT_ONLY = "Isi postingan harus berupa teks atau keterangan (caption). Silakan kirim lagi."
POST_PREVIEW_HEADER = "👁 <b>Pratinjau postingan</b> ({label}):"
POST_SENT_FOR_APPROVAL = "📨 Pratinjau dikirim kepada pejabat untuk disetujui."
POST_APPROVAL_REQUEST = "🖋 Postingan dari {author} menunggu persetujuan Anda ({label}):"
POST_PUBLISHED = "✅ Postingan diterbitkan di kanal resmi."
POST_CANCELLED = "Postingan dibatalkan."
POST_REJECTED = "❌ Postingan ditolak oleh {official}."
POST_NO_CHANNEL = "Kanal resmi belum diatur (CHANNEL_ID); postingan tidak dapat diterbitkan."
POST_NO_OFFICIAL = "Belum ada pejabat terdaftar untuk menyetujui postingan."
BTN_POST_PUBLISH = "✅ Terbitkan"
BTN_POST_SUBMIT = "📨 Ajukan persetujuan"
BTN_POST_CANCEL = "✖️ Batal"
BTN_POST_APPROVE = "✅ Setujui dan terbitkan"
BTN_POST_REJECT = "❌ Tolak"
ALERT_POST_STALE = "Draf ini sudah tidak aktif."
ALERT_POST_OK = "Baik, tersimpan."
REPORT_POST_CATEGORY_NONE = "Tanpa tagar kategori"
REPORT_CAPTION_POSTS_BY_CATEGORY = "Postingan kanal resmi menurut kategori Pasal 10"
REPORT_COL_POST_CATEGORY = "Kategori pesan"
# (end of section: outreach)


# ----------------------------------------------------------------------------- data rights
# (section: citizens' data rights, UU 27/2022)
SERVICE_NAME_PLAIN = SERVICE_NAME


def privacy_rights(*, retention_days: int) -> str:
    return (
        f"Data percakapan disimpan paling lama {retention_days} hari sejak pesan terakhir Anda, "
        "lalu identitas Anda dihapus (dipseudonimkan). Sesuai UU Nomor 27 Tahun 2022 tentang "
        "Pelindungan Data Pribadi, Anda dapat melihat data Anda dengan /datasaya dan meminta "
        "penghapusan identitas dengan /hapusdata."
    )


def my_data_summary(
    *, name: str, username: str | None, tickets: int, messages: int, retention_days: int
) -> str:
    who = esc(name or "-") + (f" (@{esc(username)})" if username else "")
    return (
        "<b>Data Anda pada layanan ini</b>\n"
        f"Nama: {who}\n"
        f"Tiket: {tickets}\n"
        f"Pesan tercatat (dari Anda dan dari layanan): {messages}\n"
        f"Masa simpan: {retention_days} hari sejak pesan terakhir.\n\n"
        "Rincian lengkapnya ada pada berkas terlampir. Untuk menghapus identitas Anda, "
        "kirim /hapusdata."
    )


MY_DATA_FILE_CAPTION = "Seluruh data Anda yang tersimpan pada layanan ini (format JSON)."
ERASE_CONFIRM = (
    "<b>Hapus data Anda?</b>\n"
    "Nama, username, dan ID Telegram Anda akan dihapus dari catatan layanan, dan data pribadi "
    "di dalam pesan Anda (NIK, nomor telepon, e-mail, nama) disamarkan. Jumlah tiket tetap "
    "dihitung dalam laporan tanpa identitas Anda. Tindakan ini tidak dapat dibatalkan."
)
BUTTON_ERASE_CONFIRM = "Ya, hapus data saya"
BUTTON_ERASE_CANCEL = "Batal"
ERASE_DONE = (
    "Identitas Anda sudah dihapus dari catatan layanan. Jika Anda menulis lagi, pesan itu "
    "dicatat sebagai percakapan baru."
)
ERASE_CANCELLED = "Penghapusan data dibatalkan. Data Anda tidak diubah."
ERASE_ALREADY = "Data Anda sudah dihapus sebelumnya."


def erase_refused(*, ticket_ids: list[int]) -> str:
    numbers = ", ".join(f"#{ticket_id}" for ticket_id in ticket_ids)
    return (
        f"Masih ada tiket yang sedang diproses ({numbers}). Agar jawaban petugas tetap sampai "
        "kepada Anda, data dapat dihapus setelah tiket tersebut dijawab. Silakan kirim "
        "/hapusdata lagi nanti."
    )


STATE_LABELS = {"open": "sedang diproses", "answered": "dijawab", "ignored": "ditutup"}
CARD_FLAG_CONFIDENTIAL = "🔒 Rahasia: isi pesan tidak dikutip dalam laporan."
CARD_FLAG_ANONYMOUS = "🕶 Anonim: identitas warga tidak ditampilkan."
ANONYMOUS_CITIZEN = "Warga (anonim)"
FLAG_USAGE = (
    "Format: <code>/rahasia &lt;nomor tiket&gt;</code> atau "
    "<code>/anonim &lt;nomor tiket&gt;</code>. Kirim lagi perintah yang sama untuk membatalkan."
)
FLAG_UNKNOWN_TICKET = "Tiket #{ticket_id} tidak ditemukan."


def flag_done(*, ticket_id: int, label: str, on: bool) -> str:
    state = "ditandai" if on else "tidak lagi ditandai"
    return f"Tiket #{ticket_id} {state} <b>{esc(label)}</b>."


REPORT_CONFIDENTIAL_EXAMPLE = "(isi komentar dirahasiakan)"


# --- Dinas evaluation of the agencies' services (Pasal 16, /evaluasi) ---
EVALUATION_TITLE = "EVALUASI LAYANAN INFORMASI MELALUI MEDIA SOSIAL PERANGKAT DAERAH"
EVALUATION_INTRO_HEADING = "Pendahuluan"
EVALUATION_INTRO = (
    "Berdasarkan Pasal 16 Peraturan Bupati Bone Nomor 22 Tahun 2019, Bupati melalui Dinas "
    "melakukan evaluasi terhadap pelaksanaan layanan informasi melalui media sosial oleh "
    "Perangkat Daerah. Dokumen ini membandingkan {count} Perangkat Daerah untuk {period}; "
    "hasilnya dipakai sebagai bahan perbaikan kinerja tahun berikutnya."
)
EVALUATION_SERVICE_HEADING = "Perbandingan Kinerja Layanan"
EVALUATION_SERVICE_CAPTION = "Kinerja layanan per Perangkat Daerah"
EVALUATION_COMPLETENESS_HEADING = "Kelengkapan Laporan (Pasal 15 ayat 3)"
EVALUATION_COMPLETENESS_CAPTION = "Butir laporan yang memiliki data per Perangkat Daerah"
EVALUATION_COMPLETENESS_NOTE = (
    "Tanda \u2713 berarti butir laporan memiliki data pada periode ini; tanda \u2013 berarti "
    "belum ada data yang tercatat."
)
EVALUATION_COL_AGENCY = "Perangkat Daerah"
EVALUATION_COL_TICKETS = "Tiket"
EVALUATION_COL_ANSWERED = "Dijawab"
EVALUATION_COL_MEDIAN = "Median tanggapan (menit kerja)"
EVALUATION_COL_WITHIN = "Dalam target"
EVALUATION_COL_SATISFACTION = "Kepuasan"
EVALUATION_COL_COMPLETE = "Butir lengkap"
EVALUATION_NO_DATA = "belum ada data"
EVALUATION_HAS_DATA = "\u2713"
EVALUATION_MISSING = "\u2013"
EVALUATION_COMPLETE_COUNT = "{done} dari {total}"
EVALUATION_CLOSING_HEADING = "Penutup"
EVALUATION_CLOSING = (
    "Demikian evaluasi ini disusun. Perangkat Daerah yang butir laporannya belum lengkap "
    "atau yang tanggapannya melewati target diharapkan menindaklanjutinya pada tahun berikutnya."
)


# (section: channel direct messages, answers under comments, satisfaction; issue 12)
# Card button on a comment ticket: the admin chooses to send the answer privately as well.
BTN_PRIVATE_COPY_OFF = "✉️ Kirim juga lewat pesan pribadi"
BTN_PRIVATE_COPY_ON = "✅ Juga dikirim lewat pesan pribadi"
ALERT_PRIVATE_COPY_ON = (
    "Jawaban akan dikirim di utas komentar dan juga lewat pesan pribadi kepada warga "
    "(jika warga pernah memulai percakapan dengan bot)."
)
ALERT_PRIVATE_COPY_OFF = "Jawaban hanya akan dikirim di utas komentar."
ALERT_PRIVATE_COPY_NOT_COMMENT = "Pilihan ini hanya untuk tiket dari komentar kanal."
PRIVATE_COPY_INTRO = "Jawaban atas komentar Bapak/Ibu di kanal resmi juga kami sampaikan di sini."
# Satisfaction buttons under an answer, and what the citizen is told.
BTN_RATE_UP = "👍 Membantu"
BTN_RATE_DOWN = "👎 Kurang membantu"
BTN_RATE_COMMENT = "💬 Tambah komentar"
RATING_PROMPT = (
    "Apakah jawaban ini membantu? Penilaian Bapak/Ibu membantu kami memperbaiki layanan."
)
RATING_THANKS_UP = "Terima kasih atas penilaian Bapak/Ibu."
RATING_THANKS_DOWN = (
    "Terima kasih atas penilaian Bapak/Ibu. Jika berkenan, balas pesan ini dengan saran "
    "atau komentar Anda dalam 10 menit."
)
RATING_COMMENT_PROMPT = (
    "Silakan balas pesan ini dengan komentar Anda tentang jawaban tiket #{ticket_id} "
    "dalam 10 menit. Pertanyaan baru tetap kami terima seperti biasa."
)
RATING_COMMENT_SAVED = "Terima kasih, komentar Anda tentang jawaban tiket #{ticket_id} kami catat."
ALERT_RATING_NOT_YOURS = "Penilaian ini hanya untuk warga yang mengajukan pertanyaan."
ALERT_RATING_NOT_ANSWERED = "Tiket ini belum dijawab."
RATING_UP_LABEL = "👍 membantu"
RATING_DOWN_LABEL = "👎 kurang membantu"
RATING_COMMENT_ONLY_LABEL = "komentar tanpa penilaian"


def card_rating(*, positive: bool | None, comment_html: str | None) -> str:
    """``comment_html`` is already escaped (and shortened to fit the card)."""
    label = {True: RATING_UP_LABEL, False: RATING_DOWN_LABEL, None: RATING_COMMENT_ONLY_LABEL}[
        positive
    ]
    said = f"\n<i>“{comment_html}”</i>" if comment_html else ""
    return f"⭐ <b>Penilaian warga:</b> {label}{said}"


def performance_ratings(*, up: int, down: int, comments: int) -> str:
    return f"Penilaian warga atas jawaban: 👍 {up} · 👎 {down} (dengan komentar: {comments})"


REPORT_RATINGS_LINE = (
    "Penilaian warga atas jawaban: {up} membantu dan {down} kurang membantu "
    "({comments} disertai komentar)."
)
# (end of section: issue 12)


# ----------------------------------------------------------------------------- /evaluasi
def evaluation_summary(*, period: str, agencies: int, complete: int) -> str:
    return (
        f"<b>Evaluasi layanan informasi media sosial (Pasal 16)</b>, periode {esc(period)}.\n"
        f"{agencies} Perangkat Daerah dibandingkan; {complete} di antaranya memiliki data untuk "
        "seluruh unsur laporan Pasal 15 ayat (3) huruf a sampai h. Dokumen evaluasi terlampir "
        "dalam format DOCX dan PDF."
    )


EVALUASI_CAPTION = "Evaluasi Pasal 16, periode {period} ({fmt})"
EVALUASI_BAD_PERIOD = (
    "Periode <code>{given}</code> tidak dikenali. Contoh: <code>/evaluasi 2026</code>, "
    "<code>/evaluasi 2026-S1</code>, <code>/evaluasi 2026-11</code>."
)


# (section: officers by decree, /petugas)
PETUGAS_SYNTAX = (
    "Cara memakai perintah petugas:\n"
    "/petugas — daftar petugas dan SK penunjukannya\n"
    "/petugas tambah &lt;id&gt; &lt;nomor SK&gt; &lt;tanggal&gt; — menunjuk admin\n"
    "/petugas hapus &lt;id&gt; — memberhentikan admin\n"
    "&lt;id&gt; adalah ID Telegram (angka). Tanggal SK ditulis 2026-01-31, 31-01-2026 "
    "atau 31/01/2026.\n"
    "Contoh: <code>/petugas tambah 123456789 800/123/BKPSDM/2026 31-01-2026</code>"
)
PETUGAS_BAD_ID = "ID <code>{given}</code> tidak valid; ID Telegram berupa angka.\n\n"
PETUGAS_BAD_DATE = "Tanggal SK <code>{given}</code> tidak dikenali.\n\n"
PETUGAS_LIST_HEADING = "<b>Petugas pengelola media sosial</b> (Perbup Bone 22/2019 Pasal 9)"
PETUGAS_LIST_EMPTY = "Belum ada petugas yang tercatat."
PETUGAS_LIST_ROW = "{n}. {name} (ID {telegram_id}) — {role}; {decree}"
PETUGAS_DECREE = "SK {number} tanggal {date}"
PETUGAS_NO_DECREE = "ditetapkan lewat pengaturan, belum ada SK"
PETUGAS_ROLE_LABELS = {"admin": "admin", "official": "pejabat"}
PETUGAS_APPOINTED = (
    "{name} (ID {telegram_id}) kini menjadi admin berdasarkan SK {number} tanggal {date}. "
    "Perannya berlaku mulai pesan berikutnya."
)
PETUGAS_REMOVED = (
    "{name} (ID {telegram_id}) diberhentikan sebagai admin. Riwayat penunjukannya tetap tersimpan."
)
PETUGAS_NOT_OFFICER = "ID {telegram_id} tidak tercatat sebagai admin yang aktif."
PETUGAS_NOT_SELF = "Pejabat tidak dapat mengubah perannya sendiri lewat perintah ini."
PETUGAS_IS_OFFICIAL = (
    "ID {telegram_id} tercatat sebagai pejabat; peran pejabat diatur lewat pengaturan layanan."
)
PETUGAS_UNKNOWN_NAME = "(belum pernah menghubungi bot)"
REPORT_CAPTION_OFFICERS = "Petugas pengelola menurut surat keputusan"
REPORT_OFFICER_HEADERS = ("No.", "Nama", "Peran", "Nomor SK", "Tanggal SK")
REPORT_OFFICERS_NONE = "Belum ada petugas yang tercatat dengan surat keputusan."
REPORT_SOURCE_APPOINTMENTS = "Sumber: catatan penunjukan petugas (/petugas)."
# (end of section: officers by decree)


# --- issue 13 item 2: /audit and the audit annex of /laporan
AUDIT_PRIVATE_ONLY = "Silakan minta jejak audit lewat chat pribadi dengan bot."
AUDIT_BAD_PERIOD = (
    "Periode <code>{given}</code> tidak dikenali. Contoh yang benar:\n"
    "/audit 2026 — satu tahun\n"
    "/audit 2026-11 — satu bulan\n"
    "/audit 2026-Q3 — triwulan\n"
    "/audit 2026-S1 — semester\n"
    "/audit 2026-01-01..2026-06-30 — rentang tanggal\n"
    "Tanpa periode: bulan berjalan."
)
AUDIT_EMPTY = "Jejak audit {period}: belum ada tindakan petugas atau pejabat yang tercatat."
AUDIT_SUMMARY_HEADER = "<b>Jejak audit {period}</b>\nJumlah tindakan tercatat: {total}"
AUDIT_SUMMARY_BY_ACTION = "<b>Menurut jenis tindakan</b>"
AUDIT_SUMMARY_BY_ACTOR = "<b>Menurut pelaku</b>"
AUDIT_SUMMARY_LINE = "• {label}: {count}"
AUDIT_SUMMARY_MORE_ACTORS = "• … dan {count} pelaku lain (lihat berkas CSV)"
AUDIT_SUMMARY_FOOTER = "Daftar lengkap ada dalam berkas CSV terlampir."
AUDIT_UNKNOWN_ACTOR = "Pengguna {telegram_id}"
AUDIT_CAPTION_CSV = "Jejak audit (CSV) — {period}"
LAPORAN_CAPTION_AUDIT = "Lampiran: Jejak Audit (CSV) — {period}"
AUDIT_ACTION_LABELS = {
    "answer": "Menjawab tiket",
    "edit": "Mengubah jawaban",
    "ignore": "Mengabaikan tiket",
    "forward": "Meneruskan tiket",
    "kind_change": "Mengubah jenis tiket",
    "faq_change": "Mengubah FAQ",
    "appointment": "Mengangkat atau memberhentikan petugas",
    "broadcast": "Mengirim siaran",
    "post_publish": "Menerbitkan atau menolak posting kanal",
    "report_request": "Meminta laporan",
    "ethics_check": "Pemeriksaan etika",
}
AUDIT_CSV_HEADER = (
    "waktu",
    "tindakan",
    "pelaku_telegram_id",
    "pelaku",
    "peran",
    "tiket",
    "sasaran",
    "rincian",
)
# (end of section: issue 13 item 2)


# ----------------------------------------------------------------------------- ethics check
# (section: ethics check, Pasal 12)
BTN_ETHICS_SEND = "⚠️ Kirim tetap"
BTN_ETHICS_EDIT = "✏️ Ubah"
BTN_ETHICS_CANCEL = "✖️ Batal"
ETHICS_ISSUE_LABELS = {
    "personal_data": "data pribadi orang lain",
    "confidential": "kata yang ditetapkan rahasia oleh instansi",
    "abusive": "kata kasar atau merendahkan",
}
ETHICS_DATA_KIND_LABELS = {
    "nik": "NIK/KK",
    "phone": "nomor telepon",
    "email": "alamat e-mail",
    "npwp": "NPWP",
    "number": "nomor rekening atau nomor identitas lain",
}
ALERT_ETHICS_HELD = "Jawaban belum dikirim: perlu diperiksa (Pasal 12). Lihat pesan pemeriksaan."
ALERT_ETHICS_SENT = "Jawaban dikirim setelah Anda konfirmasi."
ALERT_ETHICS_CANCELLED = "Jawaban dibatalkan dan tidak dikirim."


def ethics_held(*, ticket_id: int, issues: list[str], kinds: list[str]) -> str:
    """The notice of a held answer: only the types found, never the data itself."""
    lines = []
    for issue in issues:
        label = ETHICS_ISSUE_LABELS.get(issue, issue)
        if issue == "personal_data" and kinds:
            label += " (" + ", ".join(ETHICS_DATA_KIND_LABELS.get(k, k) for k in kinds) + ")"
        lines.append(f"• {esc(label)}")
    return (
        f"⚠️ <b>Jawaban untuk tiket #{ticket_id} belum dikirim.</b>\n"
        "Pemeriksaan etika (Pasal 12 Perbup Bone 22/2019) menemukan:\n"
        + "\n".join(lines)
        + "\n\nPilih <b>Kirim tetap</b> bila jawaban memang layak dikirim, <b>Ubah</b> untuk "
        "menulis jawaban lain, atau <b>Batal</b>."
    )


def ethics_resolved(*, ticket_id: int, outcome: str) -> str:
    labels = {
        "kirim_tetap": "dikirim setelah dikonfirmasi",
        "dibatalkan": "dibatalkan, tidak dikirim",
        "diubah": "diganti dengan jawaban baru",
    }
    return (
        f"Jawaban untuk tiket #{ticket_id} yang ditahan pemeriksaan etika: "
        f"{labels.get(outcome, outcome)}."
    )
