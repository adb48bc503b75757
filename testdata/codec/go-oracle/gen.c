/* gen.c — random floats and strings with helmrec's encoding of each (see run.sh). */
#include "codec/gojson.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
static unsigned long long x=0x1234567887654321ull;
static unsigned long long rnd(void){x^=x<<13;x^=x>>7;x^=x<<17;return x;}
static void hex(const unsigned char*p,size_t n){for(size_t i=0;i<n;i++)printf("%02x",p[i]); if(!n)printf("-");}
int main(void){
 hr_buf o=HR_BUF_INIT;
 for(int i=0;i<200000;i++){ double f; int kind=i%4;
  if(kind==0){unsigned long long b=rnd(); memcpy(&f,&b,8); if(isnan(f)||isinf(f)) continue;}
  else if(kind==1){ f=(double)(rnd()%100000)*pow(10,(int)(rnd()%60)-30); if(rnd()&1)f=-f;}
  else if(kind==2){ f=(double)(long long)(rnd()>>((rnd()%64)|1)); }
  else { static const double edge[]={1e-6,1e21,9.999999999999999e20,1e-7,0.000001,0.0000009999999999999999,5e-324,2.2250738585072014e-308,1.7976931348623157e308,0.1,0.2,0.3,1e22,1e23,123456789e-15};
    f=edge[rnd()%15]*(1+((rnd()%3)-1)*2.220446049250313e-16); }
  unsigned long long b; memcpy(&b,&f,8); hr_buf_clear(&o); hr_gojson_write_float(&o,f);
  printf("F %016llx\t%s\n", b, o.ptr);
 }
 for(int i=0;i<50000;i++){ unsigned char s[40]; size_t n=rnd()%40;
  for(size_t k=0;k<n;k++){ unsigned r=rnd()%10; 
    if(r<3) s[k]='a'+rnd()%26; else if(r==3) s[k]=rnd()%32; else if(r==4) s[k]="<>&\"\\/\x7f"[rnd()%7];
    else if(r==5 && k+3<=n){ s[k]=0xe2;s[k+1]=0x80;s[k+2]=0xa8+rnd()%2; k+=2;}
    else if(r==6 && k+2<=n){ s[k]=0xc3; s[k+1]=0xa9; k++;}
    else if(r==7 && k+4<=n){ s[k]=0xf0; s[k+1]=0x9f; s[k+2]=0x98; s[k+3]=0x80; k+=3;}
    else s[k]=0x80+rnd()%128; }
  hr_buf_clear(&o); hr_gojson_write_string(&o,(char*)s,n,HR_GOJSON_GO_PRE122);
  printf("S "); hex(s,n); printf("\t%s\n", o.ptr);
 }
}
