/**
 * The page's own words: box labels and button captions the SDK's message catalog has no key for
 * (its prompts, notices and the Sign In, Close, Sign out, Exit, Unblock and Back captions come
 * from `viewSignIn` and `message`), in the same three languages.
 */
import type { Locale } from 'smartcard-2fa/session';

/** Every page label, one language. */
export interface PageLabels {
  readonly title: string;
  readonly titleSignedIn: string;
  readonly titleLocked: string;
  readonly titleExited: string;
  readonly language: string;
  readonly address: string;
  readonly password: string;
  readonly pin: string;
  readonly currentPin: string;
  readonly newPin: string;
  readonly confirmPin: string;
  readonly puk: string;
  readonly adminKey: string;
  readonly ok: string;
  readonly cancel: string;
  readonly changePin: string;
  readonly unblock: string;
  readonly attempts: (remaining: number) => string;
  readonly signedInAs: string;
  readonly unread: (count: number) => string;
  readonly notify: string;
  readonly wait: string;
  readonly exited: string;
  readonly errorCode: string;
  readonly demoTitle: string;
  readonly demoAddress: string;
  readonly demoPinDefault: string;
  readonly demoPinChosen: string;
  readonly demoPinBlocked: string;
  readonly demoPuk: string;
  readonly demoAdminKey: string;
  readonly demoLocal: string;
  readonly insertCard: string;
  readonly removeCard: string;
  readonly cardInReader: string;
  readonly cardOutOfReader: string;
}

const plural = new Intl.PluralRules('en');

/** The page labels of each language the SDK's messages come in. */
export const LABELS: { readonly [L in Locale]: PageLabels } = {
  en: {
    title: 'Sign in',
    titleSignedIn: 'Welcome',
    titleLocked: 'Locked',
    titleExited: 'Goodbye',
    language: 'Language',
    address: 'Sign-in address',
    password: 'Password',
    pin: 'PIN',
    currentPin: 'Current PIN',
    newPin: 'New PIN',
    confirmPin: 'Confirm new PIN',
    puk: 'PUK',
    adminKey: 'Administrator key (hex)',
    ok: 'OK',
    cancel: 'Cancel',
    changePin: 'Change PIN',
    unblock: 'Unblock',
    attempts: (n) => `${n} ${plural.select(n) === 'one' ? 'attempt' : 'attempts'} left`,
    signedInAs: 'Signed in as',
    unread: (n) => `${n} unread ${plural.select(n) === 'one' ? 'notification' : 'notifications'}`,
    notify: 'Send a test notification',
    wait: 'Please wait…',
    exited: 'The program has ended. Reload the page to start again.',
    errorCode: 'Error code',
    demoTitle: 'Demo card',
    demoAddress: 'Sign-in address',
    demoPinDefault: '12345678, the default PIN: you will choose a new one',
    demoPinChosen: 'the PIN you chose',
    demoPinBlocked: 'blocked: unblock it with the key below',
    demoPuk: 'PUK',
    demoAdminKey: 'Administrator key',
    demoLocal: 'Everything runs in this page: the CA, the card and the server. Nothing is sent.',
    insertCard: 'Insert the card',
    removeCard: 'Remove the card',
    cardInReader: 'The card is in the reader.',
    cardOutOfReader: 'The card is not in the reader.',
  },
  'ko-KR': {
    title: '로그인',
    titleSignedIn: '환영합니다',
    titleLocked: '잠김',
    titleExited: '안녕히 가세요',
    language: '언어',
    address: '로그인 주소',
    password: '암호',
    pin: 'PIN',
    currentPin: '현재 PIN',
    newPin: '새 PIN',
    confirmPin: '새 PIN 확인',
    puk: 'PUK',
    adminKey: '관리자 키(16진수)',
    ok: '확인',
    cancel: '취소',
    changePin: 'PIN 변경',
    unblock: '차단 해제',
    attempts: (n) => `남은 시도 ${n}회`,
    signedInAs: '로그인한 사용자',
    unread: (n) => `읽지 않은 알림 ${n}개`,
    notify: '테스트 알림 보내기',
    wait: '잠시 기다려 주세요…',
    exited: '프로그램이 종료되었습니다. 다시 시작하려면 페이지를 새로 고치세요.',
    errorCode: '오류 코드',
    demoTitle: '데모 카드',
    demoAddress: '로그인 주소',
    demoPinDefault: '12345678(기본 PIN): 새 PIN을 지정하게 됩니다',
    demoPinChosen: '지정한 PIN',
    demoPinBlocked: '차단됨: 아래 키로 차단을 해제하세요',
    demoPuk: 'PUK',
    demoAdminKey: '관리자 키',
    demoLocal: 'CA, 카드, 서버가 모두 이 페이지에서 실행됩니다. 아무것도 전송되지 않습니다.',
    insertCard: '카드 삽입',
    removeCard: '카드 제거',
    cardInReader: '카드가 판독기에 있습니다.',
    cardOutOfReader: '카드가 판독기에 없습니다.',
  },
  'zh-TW': {
    title: '登入',
    titleSignedIn: '歡迎',
    titleLocked: '已鎖定',
    titleExited: '再見',
    language: '語言',
    address: '登入位址',
    password: '密碼',
    pin: 'PIN 碼',
    currentPin: '目前的 PIN 碼',
    newPin: '新的 PIN 碼',
    confirmPin: '確認新的 PIN 碼',
    puk: 'PUK',
    adminKey: '系統管理員金鑰（十六進位）',
    ok: '確定',
    cancel: '取消',
    changePin: '變更 PIN 碼',
    unblock: '解除封鎖',
    attempts: (n) => `剩餘 ${n} 次嘗試機會`,
    signedInAs: '登入身分',
    unread: (n) => `${n} 則未讀通知`,
    notify: '傳送測試通知',
    wait: '請稍候…',
    exited: '程式已結束。請重新載入頁面以重新開始。',
    errorCode: '錯誤碼',
    demoTitle: '示範卡片',
    demoAddress: '登入位址',
    demoPinDefault: '12345678（預設 PIN 碼）：您將設定新的 PIN 碼',
    demoPinChosen: '您設定的 PIN 碼',
    demoPinBlocked: '已封鎖：請以下方的金鑰解除封鎖',
    demoPuk: 'PUK',
    demoAdminKey: '系統管理員金鑰',
    demoLocal: 'CA、卡片與伺服器都在此頁面中執行，不會傳送任何資料。',
    insertCard: '插入卡片',
    removeCard: '取出卡片',
    cardInReader: '卡片在讀卡機中。',
    cardOutOfReader: '卡片不在讀卡機中。',
  },
};

/** The language names in the locale switch, each in its own language. */
export const LANGUAGE_NAMES: { readonly [L in Locale]: string } = {
  en: 'English',
  'ko-KR': '한국어',
  'zh-TW': '中文（台灣）',
};
