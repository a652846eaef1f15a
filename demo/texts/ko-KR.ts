/**
 * The demo's own lines in Korean, in the terms of the SDK's Korean sign-in catalog and of
 * Korean Windows (인증서 템플릿, 새 키 집합 만들기, 가상 스마트 카드).
 */
import type { DemoTexts } from './en.js';

export const koKR: DemoTexts = {
  intro: (interactive) =>
    `smartcard-2fa 데모: 스마트 카드를 사용한 2단계 로그인(${interactive ? '대화형' : '스크립트'})`,
  settings: (card, locale, format, state) =>
    [
      `카드: ${card}`,
      `로캘: ${locale}`,
      `요청 형식: ${format}`,
      `상태: ${state ?? '메모리(--state <dir>를 지정하면 보관됩니다)'}`,
    ].join(' · '),
  scriptedAnswers:
    '스크립트 모드: 정해진 답을 사용합니다. 등록 스테이션에서는 기본 PIN, 그다음에는 데모 PIN을 입력합니다(--help 참조).',
  done: '완료되었습니다. --state <dir>로 실행하면 다음 실행에서도 이 카드를 사용할 수 있습니다.',
  doneKept: (directory) =>
    `완료되었습니다. 카드는 ${directory}에 보관되어 있습니다. 같은 --state로 다시 실행하면 이 카드로 로그인합니다.`,
  cancelled: '취소되었습니다.',
  yes: '예',
  no: '아니요',
  ok: '확인',
  cancel: '취소',
  typeSomething: '값을 입력하세요.',
  labelled: (label, text) => `${label}: ${text}`,
  question: (label, effect) => `${label}: ${effect} 계속하시겠습니까?`,
  menuKeys: { navigate: '이동', confirm: '확인' },
  card: { physical: '물리적 카드', virtual: '가상 카드' },

  alreadyEnrolled: '등록: 이미 완료됨',
  foundCard: (card, serial, day, directory) =>
    `${directory}에서 이전 실행이 ${day}에 등록한 ${card} ${serial}을(를) 찾았습니다. 등록을 건너뜁니다.`,
  itsCertificate: '카드의 인증서',
  validTo: '만료 날짜',
  unsealed: (deviceId) => `이 컴퓨터의 TPM(장치 ${deviceId})이 가상 카드의 봉인을 해제합니다.`,

  caSection: '인증 기관',
  caCreating: '내장 CA를 만드는 중: RSA-2048 루트 CA 키와 발급 CA 키…',
  caCreated: 'Contoso Root CA → Contoso Issuing CA, AD CS(certsrv)처럼 응답합니다',
  caReplaced:
    '새 CA를 만들었습니다. 내장 CA는 키를 저장할 수 없으므로 이전 CA는 사라졌지만, 이전 CA가 발급한 카드를 위해 그 인증서는 계속 신뢰합니다.',

  stationSection: '등록 스테이션',
  loggedOn: (account) =>
    `${account}(으)로 https://ca.contoso.com/certsrv 에 로그온했습니다: 인증서 요청 → 고급 인증서 요청 → 이 CA에 요청을 만들어 제출합니다.`,
  stationTitle: '스마트 카드 등록 스테이션',
  field: {
    template: '인증서 템플릿',
    keySet: '키 집합',
    csp: 'CSP',
    keyUsage: '키 용도, 크기',
    format: '요청 형식',
    hash: '해시 알고리즘',
    friendlyName: '친숙한 이름',
  },
  newKeySet: '새 키 집합 만들기',
  exchange: (bits) => `교환, ${bits}`,
  insertBlank: (id) =>
    `빈 스마트 카드(${id})를 등록 스테이션에 연결된 카드 판독기에 삽입하고 [등록]을 클릭하세요.`,
  enroll: '등록',
  stationReader: '등록 스테이션',
  inReader: (id, reader) => `카드 ${id}이(가) 판독기 "${reader}"에 들어 있습니다.`,
  virtualCard: (id, deviceId) =>
    `이 컴퓨터의 TPM(장치 ${deviceId})에 가상 스마트 카드 ${id}을(를) 만들었습니다. \`tpmvscmgr create /name Alice /pin default /adminkey default\`로 만든 것과 같으며 삽입할 필요가 없습니다.`,
  pinRules: (min, max, digitsOnly) =>
    digitsOnly
      ? `PIN은 ${min}~${max}자리 숫자입니다.`
      : `PIN은 ${min}~${max}자이며 영문자, 숫자, 공백, 문장 부호를 사용할 수 있습니다.`,
  newPinRules: (defaultPin, notCurrent) =>
    `새 PIN으로 기본 PIN(${defaultPin}), 한 문자의 반복(예: 11111111), 연속된 문자(예: 12345678, 87654321)${notCurrent ? ', 현재 PIN' : ''}은 사용할 수 없습니다.`,
  stationPin: (defaultPin) =>
    `스마트 카드의 PIN을 입력한 다음 [확인]을 클릭하세요(지정된 PIN이 없으면 기본 PIN ${defaultPin}을 입력하세요).`,
  noPinAssigned: (defaultPin) => `지정된 PIN이 없나요? 기본 PIN은 ${defaultPin}입니다.`,
  forceChange: '스마트 카드를 처음 사용할 때 사용자가 PIN을 변경하도록 하시겠습니까?',
  generating: '카드에서 RSA-2048 키 쌍을 생성하는 중…',
  submitting: (seconds) => `카드에서 ${seconds}초 만에 키를 생성했습니다. 요청을 제출하는 중…`,
  issued: (seconds) =>
    `카드에서 ${seconds}초 만에 RSA-2048 키를 생성했고, CA가 인증서를 발급했습니다`,
  theCertificate: '인증서',
  certificate: {
    subject: '주체',
    issuer: '발급자',
    upn: 'UPN',
    email: '전자 메일',
    ekus: '확장 키 사용',
    validity: '유효 기간',
    serial: '일련 번호',
    none: '(없음)',
    range: (from, to) => `${from} ~ ${to}`,
  },
  confirmCertificate:
    '표시된 인증서의 정보가 본인의 정보와 일치하는지 확인한 후 [확인]을 클릭하세요.',
  installing: '인증서를 설치하는 중…',
  markingPin: '처음 사용할 때 PIN을 변경하도록 표시하는 중…',
  notEnrolled: '등록되지 않았습니다',
  installed: (requestId) => `인증서를 설치했습니다(요청 ${requestId})`,
  enrolled: (card, id, changeAtFirstUse) =>
    `인증서가 발급되어 ${card} ${id}에 설치되었습니다.${changeAtFirstUse ? ' 처음 사용할 때 PIN을 변경해야 합니다.' : ''}`,
  saved: (directory) => `카드와 CA 인증서를 ${directory}에 저장했습니다.`,

  signInSection: '로그인',
  laptopReader: 'Alice의 노트북',
  serverEnds: (address) => `(서버가 ${address}의 세션을 종료합니다)`,
  serverListens: (url) => `로그인 서버가 ${url}에서 수신 대기합니다(로그인은 HTTP로 진행됩니다).`,
  serverRefused: (route, reason) => `(서버 로그: ${route} 거부됨, ${reason})`,
  playsReader: (reader, id) =>
    `데모가 판독기 "${reader}" 역할을 합니다. [카드 삽입]을 선택하면 카드 ${id}이(가) 삽입됩니다.`,
  insertCard: '카드 삽입',
  adminKeyFormat:
    '관리자 키는 16진수 48자리(24바이트)이며 공백을 넣어도 됩니다. 데모의 가상 카드에는 01 02 03 04 05 06 07 08을 세 번 반복한 기본 키가 설정되어 있으며, default를 입력하면 이 키를 사용합니다.',
  adminKeyDigits: (typed) =>
    `관리자 키는 16진수(0-9, A-F) 32자리, 48자리 또는 64자리이거나(공백 허용) default입니다. 입력한 값은 ${typed}자리입니다.`,
  adminKeyNotHex:
    '관리자 키에는 16진수(0-9, A-F)와 공백만 사용할 수 있습니다. 또는 default를 입력하세요.',
  notification: '알림이 도착합니다(데모)',
  unread: (count) => ` (읽지 않은 알림 ${count}개)`,
  deleted: '완료했습니다.',
  signedOut: (address) =>
    address === ''
      ? '로그아웃했습니다. 로그인 주소가 삭제되었습니다.'
      : `로그아웃했습니다. 로그인 주소는 유지됩니다: ${address}`,
  signedIn: (address, card) =>
    card === undefined
      ? `${address}(으)로 로그인했습니다.`
      : `${address}(으)로 로그인했습니다(${card}).`,
};
