/**
 * The demo's own lines in Traditional Chinese (Taiwan), in the terms of the SDK's zh-TW sign-in
 * catalog and of Windows in Taiwan (憑證範本、建立新的金鑰組、虛擬智慧卡).
 */
import type { DemoTexts } from './en.js';

export const zhTW: DemoTexts = {
  intro: (interactive) =>
    `smartcard-2fa 示範：使用智慧卡的雙重驗證登入（${interactive ? '互動模式' : '指令碼模式'}）`,
  settings: (card, locale, format, state) =>
    [
      `卡片：${card}`,
      `地區設定：${locale}`,
      `要求格式：${format}`,
      `狀態：${state ?? '僅在記憶體中（使用 --state <dir> 可保留）'}`,
    ].join(' · '),
  scriptedAnswers:
    '指令碼模式：使用固定的回答，在註冊站使用預設 PIN 碼，之後使用示範 PIN 碼（請參閱 --help）。',
  done: '完成。使用 --state <dir> 執行，即可保留卡片供下次執行使用。',
  doneKept: (directory) =>
    `完成。卡片保存在 ${directory}：使用相同的 --state 再次執行，即可用這張卡片登入。`,
  cancelled: '已取消。',
  yes: '是',
  no: '否',
  ok: '確定',
  cancel: '取消',
  typeSomething: '請輸入內容。',
  labelled: (label, text) => `${label}：${text}`,
  question: (label, effect) => `${label}：${effect}要繼續嗎？`,
  menuKeys: { navigate: '移動', confirm: '確認' },
  card: { physical: '實體卡片', virtual: '虛擬卡片' },

  alreadyEnrolled: '註冊：已完成',
  foundCard: (card, serial, day, directory) =>
    `在 ${directory} 中找到先前執行於 ${day} 註冊的${card} ${serial}，略過註冊。`,
  itsCertificate: '卡片的憑證',
  validTo: '有效期限至',
  unsealed: (deviceId) => `虛擬卡片由這部電腦的 TPM（裝置 ${deviceId}）解除密封。`,

  caSection: '憑證授權單位',
  caCreating: '正在建立內嵌 CA：RSA-2048 根 CA 與發行 CA 金鑰…',
  caCreated: 'Contoso Root CA → Contoso Issuing CA，以 AD CS（certsrv）的方式回應',
  caReplaced:
    '已建立新的 CA：內嵌 CA 無法儲存其金鑰，因此先前的 CA 已不存在；但為了它簽發的卡片，它的憑證仍受信任。',

  stationSection: '註冊站',
  loggedOn: (account) =>
    `已以 ${account} 身分登入 https://ca.contoso.com/certsrv：要求憑證 → 進階憑證要求 → 建立並提交要求至此 CA。`,
  stationTitle: '智慧卡註冊站',
  field: {
    template: '憑證範本',
    keySet: '金鑰組',
    csp: 'CSP',
    keyUsage: '金鑰使用方法、大小',
    format: '要求格式',
    hash: '雜湊演算法',
    friendlyName: '易記名稱',
  },
  newKeySet: '建立新的金鑰組',
  exchange: (bits) => `交換、${bits}`,
  insertBlank: (id) => `請將空白智慧卡（${id}）插入註冊站所連接的讀卡機，然後按一下 [註冊]。`,
  enroll: '註冊',
  stationReader: '註冊站',
  inReader: (id, reader) => `卡片 ${id} 已在讀卡機「${reader}」中。`,
  virtualCard: (id, deviceId) =>
    `已在這部電腦的 TPM（裝置 ${deviceId}）上建立虛擬智慧卡 ${id}，與 \`tpmvscmgr create /name Alice /pin default /adminkey default\` 建立的相同：不需要插入。`,
  pinRules: (min, max, digitsOnly) =>
    digitsOnly
      ? `PIN 碼為 ${min} 到 ${max} 位數字。`
      : `PIN 碼為 ${min} 到 ${max} 個字元，可使用英文字母、數字、空格和標點符號。`,
  newPinRules: (defaultPin, notCurrent) =>
    `新的 PIN 碼不能是預設 PIN 碼 ${defaultPin}、單一字元重複（例如 11111111）或連續字元（例如 12345678 或 87654321）${notCurrent ? '，也不能與目前的 PIN 碼相同' : ''}。`,
  stationPin: (defaultPin) =>
    `請輸入智慧卡的 PIN 碼，然後按一下 [確定]（若未指定 PIN 碼，預設為 ${defaultPin}）。`,
  noPinAssigned: (defaultPin) => `未指定 PIN 碼嗎？預設 PIN 碼為 ${defaultPin}。`,
  forceChange: '是否強制使用者在第一次使用智慧卡時變更 PIN 碼？',
  generating: '正在卡片上產生 RSA-2048 金鑰組…',
  submitting: (seconds) => `已在 ${seconds} 秒內於卡片上產生金鑰；正在提交要求…`,
  issued: (seconds) => `已在 ${seconds} 秒內於卡片上產生 RSA-2048 金鑰；CA 已簽發憑證`,
  theCertificate: '憑證',
  certificate: {
    subject: '主體',
    issuer: '簽發者',
    upn: 'UPN',
    email: '電子郵件',
    ekus: '增強金鑰使用方法',
    validity: '有效期間',
    serial: '序號',
    none: '（無）',
    range: (from, to) => `${from} 至 ${to}`,
  },
  confirmCertificate: '請確認顯示的憑證包含您的資訊，然後按一下 [確定]。',
  installing: '正在安裝憑證…',
  markingPin: '正在將 PIN 碼標示為第一次使用時必須變更…',
  notEnrolled: '未註冊',
  installed: (requestId) => `已安裝憑證（要求 ${requestId}）`,
  enrolled: (card, id, changeAtFirstUse) =>
    `憑證已簽發並安裝到${card} ${id}。${changeAtFirstUse ? '第一次使用時必須變更 PIN 碼。' : ''}`,
  saved: (directory) => `已將卡片與 CA 憑證儲存在 ${directory}。`,

  signInSection: '登入',
  laptopReader: 'Alice 的筆記型電腦',
  serverEnds: (address) => `（伺服器結束 ${address} 的工作階段）`,
  serverListens: (url) => `登入伺服器在 ${url} 上接聽（登入經由 HTTP 進行）。`,
  serverRefused: (route, reason) => `（伺服器的記錄：${route} 遭拒，${reason}）`,
  playsReader: (reader, id) =>
    `示範程式扮演讀卡機「${reader}」：選擇 [插入卡片] 即會插入卡片 ${id}。`,
  insertCard: '插入卡片',
  adminKeyFormat:
    '系統管理員金鑰為 48 位十六進位數字（24 位元組），可以加入空格。示範程式的虛擬卡片使用預設金鑰，即 01 02 03 04 05 06 07 08 重複三次：輸入 default 即可使用。',
  adminKeyDigits: (typed) =>
    `系統管理員金鑰為 32、48 或 64 位十六進位數字（0-9、A-F，可加空格），或 default；您輸入了 ${typed} 位。`,
  adminKeyNotHex: '系統管理員金鑰只能包含十六進位數字（0-9、A-F）和空格，或輸入 default。',
  notification: '收到一則通知（示範）',
  unread: (count) => `（${count} 則未讀）`,
  deleted: '已完成。',
  signedOut: (address) =>
    address === '' ? '已登出。登入位址已刪除。' : `已登出。登入位址已保留：${address}`,
  signedIn: (address, card) =>
    card === undefined ? `已以 ${address} 登入。` : `已使用${card} 以 ${address} 登入。`,
};
