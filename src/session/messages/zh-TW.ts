import type { MessageCatalog } from './catalog.js';

/**
 * The Traditional Chinese (Taiwan) messages, in the terms of the Lync / Skype for Business client
 * in zh-TW (登入位址, 登入, 關閉, 登出, 結束, 刪除我的登入資訊, 智慧卡, 虛擬智慧卡, PIN 碼, 註冊),
 * with the machine-translation errors of its zh-TW documentation corrected (登入 for sign-in, never
 * 登錄; 工作階段 for session).
 *
 * @example
 * ```ts
 * import { zhTW } from 'smartcard-2fa/session';
 *
 * declare const signOutButton: HTMLButtonElement;
 * signOutButton.textContent = zhTW['sign-out']; // '登出'
 * const warning = zhTW['pin-wrong']({ attemptsRemaining: 2 });
 * console.log(warning); // 'PIN 碼不正確。您還剩 2 次嘗試機會。'
 * ```
 *
 * @category Client
 */
export const zhTW: MessageCatalog = {
  'sign-in-address-prompt': '請輸入您的登入位址（通常與您的電子郵件地址相同）。',
  'sign-in-address-invalid':
    '這不是有效的登入位址。登入位址通常是電子郵件地址的格式，請檢查後再試一次。',
  'password-prompt': '請輸入您的密碼。',
  'password-wrong': '登入位址或密碼不正確。請檢查後再試一次。',
  'sign-in': '登入',

  'smart-card-required': '您的組織要求使用智慧卡登入。',
  'insert-card': '請將智慧卡插入智慧卡讀卡機。',
  'card-detected': '已偵測到您的智慧卡。請按一下 [確定] 繼續。',
  'reading-card': '正在讀取您的智慧卡…',
  'pin-prompt': '請輸入智慧卡的 PIN 碼，然後按一下 [確定]。',
  'pin-wrong': ({ attemptsRemaining }) => `PIN 碼不正確。您還剩 ${attemptsRemaining} 次嘗試機會。`,
  'pin-wrong-unknown-attempts': 'PIN 碼不正確。請再試一次；PIN 碼錯誤次數過多會封鎖您的智慧卡。',
  'pin-last-attempt': '警告：您只剩最後一次嘗試機會。如果這次 PIN 碼仍然錯誤，您的智慧卡將被封鎖。',

  'card-blocked': '由於 PIN 碼錯誤次數過多，您的智慧卡已被封鎖。請解除封鎖，或返回登入畫面。',
  'unblock-card': '解除智慧卡封鎖',
  'back-to-sign-in': '返回登入畫面',
  'unblock-puk-prompt': '請輸入智慧卡的 PUK（PIN 解除封鎖碼）。接著您將設定新的 PIN 碼。',
  'unblock-admin-key-prompt':
    '請輸入智慧卡的系統管理員金鑰，或請支援人員為您解除封鎖。接著您將設定新的 PIN 碼。',
  'unblock-failed': '無法使用此金鑰解除智慧卡封鎖。請檢查後再試一次，或與支援人員聯絡。',

  'pin-change-default': '您的智慧卡仍在使用預設 PIN 碼。請在登入前設定新的 PIN 碼。',
  'pin-change-required': '您必須先變更 PIN 碼才能登入。',
  'current-pin-prompt': '請輸入目前的 PIN 碼。',
  'new-pin-prompt': '請輸入新的 PIN 碼。',
  'confirm-pin-prompt': '請再次輸入新的 PIN 碼以確認。',
  'pin-mismatch': 'PIN 碼不相符。請在兩個方塊中輸入相同的新 PIN 碼。',
  'pin-changed': '您的 PIN 碼已變更。',

  'pin-policy-not-a-string': 'PIN 碼必須是文字。',
  'pin-policy-too-short': ({ limit }) => `PIN 碼至少必須有 ${limit} 個字元。`,
  'pin-policy-too-long': ({ limit }) => `PIN 碼最多只能有 ${limit} 個字元。`,
  'pin-policy-invalid-character': 'PIN 碼包含不允許的字元。',
  'pin-policy-default-pin': '新的 PIN 碼不能是預設 PIN 碼。',
  'pin-policy-repeated-character': 'PIN 碼不能由單一字元重複組成。',
  'pin-policy-sequence': 'PIN 碼不能是 1234 或 4321 之類的連續字元。',
  'pin-policy-same-as-current': '新的 PIN 碼必須與目前的 PIN 碼不同。',

  'signing-in': '正在登入…',
  'signed-in': '您已登入。',
  'sign-in-refused': '登入失敗。請再試一次；如果問題持續發生，請與支援人員聯絡。',
  'card-not-enrolled': '此智慧卡沒有登入憑證。請先註冊智慧卡，然後再登入一次。',
  'wrong-card': '這不是您登入時使用的智慧卡。請插入您自己的智慧卡。',
  'server-unavailable': '無法連線到登入伺服器。請檢查網路連線後再試一次。',
  'timed-out': '作業時間過長，已停止。請再試一次。',

  close: '關閉',
  'display-closed': '視窗已關閉。您仍保持登入狀態，並會繼續收到通知。',
  'restore-display': '重新顯示視窗',
  'sign-out': '登出',
  'sign-out-effect': '結束您的工作階段。程式會繼續執行，並再次出現登入視窗。',
  'delete-sign-in-info': '刪除我的登入資訊',
  'delete-sign-in-info-effect': '從這部電腦移除您的登入位址和密碼。',
  'delete-sign-in-info-recommended':
    '第一次使用智慧卡之前，請選取 [刪除我的登入資訊]。這會清除儲存在這部電腦上、可能造成錯誤的登入資訊。',
  exit: '結束',
  'exit-effect': '結束您的工作階段並關閉程式。',

  'card-removed': '您的智慧卡已被移除。您仍保持登入狀態。',
  'card-removed-locked':
    '您的智慧卡已被移除，因此工作階段已鎖定。請插入智慧卡並輸入 PIN 碼以解除鎖定。',
  'card-removed-signed-out': '您的智慧卡已被移除，因此您已登出。',

  'card-wait-timed-out': '未在時限內偵測到智慧卡。請插入智慧卡後再試一次。',
  cancelled: '已取消登入。',
  'tpm-locked-out': ({ seconds }) =>
    `PIN 碼錯誤次數過多，這部電腦的 TPM 已鎖定。請在 ${seconds} 秒後再試一次，或請系統管理員清除鎖定。`,
  'tpm-unavailable': '無法使用這部電腦的 TPM（信賴平台模組），因此無法使用您的虛擬智慧卡。',
  'unsupported-environment': '此環境無法使用智慧卡登入。頁面必須透過 HTTPS 或從 localhost 提供。',
  error: '發生錯誤。請再試一次；如果問題持續發生，請與支援人員聯絡。',
};
